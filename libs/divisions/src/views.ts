/** The divisions module's answers (the web imports this file: types only, no server code). */
export type DivisionLevel = 'city' | 'county' | 'township' | 'village';

export interface DivisionView {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
}

export interface DivisionWithPath extends DivisionView {
  /** Ancestors from the city down, excluding the division itself. */
  path: DivisionView[];
  /** 长治市 / 长子县 / 鲍店镇 … */
  fullName: string;
  childCount: number;
}
