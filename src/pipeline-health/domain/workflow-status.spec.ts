import { countsByStatus, queryLiteral, workflowStatusOf } from './workflow-status.js';

describe('workflowStatusOf', () => {
  it.each([
    ['Running', 'running'],
    ['Completed', 'completed'],
    ['Failed', 'failed'],
    ['Canceled', 'canceled'],
    ['Terminated', 'terminated'],
    ['TimedOut', 'timed_out'],
    ['ContinuedAsNew', 'continued_as_new'],
  ])('names %s %s', (executionStatus, status) => {
    expect(workflowStatusOf(executionStatus)).toBe(status);
  });

  it('reads a value decoded as a list, as the client answers it', () => {
    expect(workflowStatusOf(['TimedOut'])).toBe('timed_out');
  });

  it('knows nothing else', () => {
    expect(workflowStatusOf('Paused')).toBeNull();
    expect(workflowStatusOf(3)).toBeNull();
    expect(workflowStatusOf(undefined)).toBeNull();
  });
});

describe('countsByStatus', () => {
  it('answers every status, adding the groups Temporal gave and 0 for the others', () => {
    expect(
      countsByStatus([
        { count: 3, groupValues: [['Running']] },
        { count: 2, groupValues: ['Completed'] },
        { count: 1, groupValues: ['ContinuedAsNew'] },
        { count: 7, groupValues: ['SomethingNew'] },
      ]),
    ).toEqual({
      running: 3,
      completed: 2,
      failed: 0,
      canceled: 0,
      terminated: 0,
      timed_out: 0,
      continued_as_new: 1,
    });
  });
});

describe('queryLiteral', () => {
  it('quotes a value so that it cannot end the literal', () => {
    expect(queryLiteral('mer_01')).toBe('"mer_01"');
    expect(queryLiteral('a" OR "b')).toBe('"a\\" OR \\"b"');
    expect(queryLiteral('a\\')).toBe('"a\\\\"');
  });
});
