import { residentIdCheckChar } from '#platform';

/** A valid (checksummed) demo ID number for demo person `i`: address 140428 (长子县), a birth date, sex. */
export function demoIdNumber(i: number, birth: string, male: boolean): string {
  const seq = String(((i * 2) % 998) + (male ? 1 : 0)).padStart(3, '0');
  const body = `140428${birth.replace(/-/g, '')}${seq}`;
  return body + residentIdCheckChar(body);
}

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = [
  '建国',
  '秀英',
  '志强',
  '桂兰',
  '国华',
  '玉梅',
  '海军',
  '丽娟',
  '文斌',
  '春花',
  '永生',
  '淑珍',
  '小龙',
  '红霞',
  '德明',
  '翠萍',
  '卫东',
  '美玲',
  '晓东',
  '素芳',
  '新民',
  '金凤',
  '振华',
  '彩云',
  '宝山',
  '秋菊',
  '立新',
  '冬梅',
  '长青',
  '月娥',
];

export function demoName(i: number): string {
  return SURNAMES[(i * 7) % SURNAMES.length] + GIVEN[(i * 11) % GIVEN.length];
}
