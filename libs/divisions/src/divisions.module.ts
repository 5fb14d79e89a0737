import { Module } from '@nestjs/common';
import { DivisionsController } from './divisions.controller.js';
import { DivisionsRepository } from './divisions.repository.js';
import { DivisionsService } from './divisions.service.js';

@Module({
  controllers: [DivisionsController],
  providers: [DivisionsRepository, DivisionsService],
  exports: [DivisionsService],
})
export class DivisionsModule {}
