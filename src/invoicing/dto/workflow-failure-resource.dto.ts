/**
 * Why an object's workflow stopped: a step that cannot succeed (for example a subscription
 * whose period row vanished: `period_not_open`). Null while the workflow runs or after it ended
 * normally.
 */
export class WorkflowFailure {
  /** A stable machine-readable code of the step's failure. */
  code!: string;

  message!: string;
}
