import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '../common/errors/tally-error.js';
import { ApiAnswers, ApiFails } from '../common/http/openapi/api-contract.js';
import { TallyConfigService } from '../config/config.module.js';
import { PublicRoute } from '../identity/auth.decorators.js';
import { DashboardConfig } from './dto/dashboard-config.dto.js';

@ApiTags('dashboard')
@PublicRoute()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly config: TallyConfigService) {}

  /**
   * The dashboard's deployment settings (unauthenticated: it is read before sign-in, and holds
   * no secret): where the Temporal Web UI is, and the namespace of Tally's workflows. With the
   * dashboard off (DASHBOARD=false) it is an unknown route, like the app's pages.
   */
  @Get('config.json')
  @ApiAnswers(200, DashboardConfig)
  @ApiFails({ 404: ['route_not_found'] })
  read(): DashboardConfig {
    if (!this.config.values.DASHBOARD)
      throw new NotFoundError('route_not_found', 'The dashboard is turned off (DASHBOARD=false).');
    return {
      temporalUiUrl: this.config.values.TEMPORAL_UI_URL,
      namespace: this.config.values.TEMPORAL_NAMESPACE,
    };
  }
}
