import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller.js';

/** `GET /dashboard/config.json`; the app's static files are served by src/http-app.ts. */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
