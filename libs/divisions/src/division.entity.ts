import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DivisionLevel } from './scope.js';

@Entity('division')
export class Division {
  @PrimaryColumn({ type: 'varchar', length: 12 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  level: DivisionLevel;

  @Column({ name: 'parent_code', type: 'varchar', length: 12, nullable: true })
  parentCode: string | null;
}
