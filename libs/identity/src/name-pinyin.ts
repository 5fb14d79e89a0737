/**
 * Toneless pinyin of the characters common in Chinese names (the ~200 most frequent surnames and
 * the usual given-name characters), so the password check can recognise "zhangwei" in a password
 * of 张伟. One reading per character: a polyphone's name reading where it has one (单 shan, 曾 zeng).
 * A name with a character missing here gets no pinyin; its Chinese form is still checked.
 */
const TABLE = `
王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou 徐xu 孙sun 马ma 朱zhu 胡hu 郭guo 何he
高gao 林lin 罗luo 郑zheng 梁liang 谢xie 宋song 唐tang 许xu 韩han 冯feng 邓deng 曹cao 彭peng 曾zeng 肖xiao
田tian 董dong 袁yuan 潘pan 于yu 蒋jiang 蔡cai 余yu 杜du 叶ye 程cheng 苏su 魏wei 吕lv 丁ding 任ren 沈shen
姚yao 卢lu 姜jiang 崔cui 钟zhong 谭tan 陆lu 汪wang 范fan 金jin 石shi 廖liao 贾jia 夏xia 韦wei 付fu 方fang
白bai 邹zou 孟meng 熊xiong 秦qin 邱qiu 江jiang 尹yin 薛xue 闫yan 阎yan 段duan 雷lei 侯hou 龙long 史shi 陶tao
黎li 贺he 顾gu 毛mao 郝hao 龚gong 邵shao 万wan 钱qian 严yan 覃qin 武wu 戴dai 莫mo 孔kong 向xiang 汤tang
常chang 温wen 康kang 施shi 文wen 牛niu 樊fan 葛ge 邢xing 安an 齐qi 易yi 乔qiao 伍wu 庞pang 颜yan 倪ni
庄zhuang 聂nie 章zhang 鲁lu 岳yue 翟zhai 殷yin 詹zhan 申shen 欧ou 耿geng 关guan 兰lan 焦jiao 俞yu 左zuo
柳liu 甘gan 祝zhu 包bao 宁ning 尚shang 符fu 舒shu 阮ruan 柯ke 纪ji 梅mei 童tong 凌ling 毕bi 单shan 季ji
裴pei 霍huo 涂tu 成cheng 苗miao 谷gu 盛sheng 曲qu 翁weng 冉ran 骆luo 蓝lan 路lu 游you 辛xin 靳jin 管guan
柴chai 蒙meng 鲍bao 华hua 喻yu 祁qi 蒲pu 房fang 滕teng 屈qu 饶rao 解xie 牟mou 艾ai 尤you 阳yang 时shi
穆mu 农nong 司si 卓zhuo 古gu 吉ji 缪miao 简jian 车che 项xiang 连lian 芦lu 麦mai 褚chu 娄lou 窦dou 戚qi
岑cen 景jing 党dang 宫gong 费fei 卜bu 冷leng 晏yan 席xi 卫wei 米mi 柏bai 宗zong 瞿qu 桂gui 全quan 佟tong
应ying 臧zang 闵min 苟gou 邬wu 边bian 卞bian 姬ji 师shi 和he 仇qiu 栾luan 隋sui 商shang 刁diao 沙sha
荣rong 巫wu 寇kou 桑sang 郎lang 甄zhen 丛cong 仲zhong 虞yu 敖ao 巩gong 明ming 佘she 池chi 查zha 麻ma
苑yuan 迟chi 邝kuang 封feng 原yuan 晋jin 郜gao 暴bao 上shang 官guan 诸zhu 欧ou 皇huang 令ling 狐hu 慕mu
容rong 公gong 孙sun 东dong 西xi 门men 尉yu 迟chi 端duan 木mu 轩xuan 辕yuan 长chang 赫he 连lian
伟wei 芳fang 娜na 敏min 静jing 丽li 强qiang 磊lei 军jun 洋yang 勇yong 艳yan 杰jie 娟juan 涛tao 超chao
秀xiu 英ying 霞xia 平ping 刚gang 辉hui 燕yan 鹏peng 红hong 玉yu 玲ling 丹dan 萍ping 飞fei 鑫xin 波bo
斌bin 宇yu 浩hao 凯kai 健jian 俊jun 帆fan 帅shuai 旭xu 婷ting 晶jing 欢huan 莉li 雪xue 慧hui 珍zhen
凤feng 佳jia 嘉jia 琳lin 颖ying 倩qian 婧jing 洁jie 璐lu 瑶yao 怡yi 悦yue 琪qi 琦qi 晨chen 曦xi 欣xin
妍yan 雅ya 婉wan 淑shu 贞zhen 春chun 秋qiu 冬dong 梦meng 思si 雨yu 晓xiao 小xiao 大da 国guo 家jia
建jian 志zhi 忠zhong 德de 福fu 贵gui 富fu 海hai 山shan 川chuan 河he 峰feng 岩yan 松song 森sen 树shu
南nan 北bei 中zhong 新xin 民min 泰tai 庆qing 喜xi 乐le 功gong 利li 胜sheng 银yin 铁tie 钢gang 锋feng
亮liang 光guang 晖hui 正zheng 义yi 仁ren 礼li 智zhi 信xin 孝xiao 永yong 生sheng 保bao 宝bao 元yuan 天tian
地di 子zi 云yun 风feng 清qing 青qing 彩cai 丰feng 兴xing 旺wang 发fa 财cai 顺shun 根gen 水shui 土tu
火huo 花hua 草cao 芬fen 芝zhi 菊ju 莲lian 荷he 桃tao 杏xing 翠cui 珠zhu 琴qin 鸿hong 鹤he 雁yan 鸣ming
振zhen 毅yi 坚jian 勤qin 俭jian 立li 伦lun 彬bin 博bo 睿rui 瑞rui 哲zhe 涵han 萱xuan 泽ze 铭ming 宸chen
昊hao 然ran 奕yi 皓hao 逸yi 航hang 梓zi 诗shi 语yu 若ruo 可ke 馨xin 月yue 玥yue 桐tong 依yi 一yi 二er
三san 四si 五wu 六liu 七qi 八ba 九jiu 十shi 兵bing 革ge 援yuan 朝chao 跃yue 进jin 学xue 彪biao 虎hu
豹bao 狗gou 羊yang 猪zhu 蛋dan 娃wa 妮ni 娥e 妹mei 姐jie 哥ge 弟di 香xiang 素su 蓉rong 莹ying 瑾jin
瑜yu 璇xuan 琼qiong 丫ya 巧qiao 爱ai 美mei 好hao 芸yun 蕊rui 薇wei 蔚wei 露lu 霜shuang 雯wen 霖lin
晴qing 宏hong 伯bo 叔shu 祖zu 耀yao 彦yan 琛chen 毓yu 锦jin 绣xiu 婕jie 媛yuan 娇jiao 婵chan 姗shan
嫣yan 佩pei 玫mei 瑰gui 鹃juan 莺ying 蝶die 畅chang 澜lan 浪lang 沛pei 源yuan 溪xi 潇xiao 湘xiang
渊yuan 鹰ying 虹hong 铮zheng 钰yu 锐rui 钧jun 镇zhen 培pei 均jun 坤kun 堂tang 增zeng 广guang 庭ting
廷ting 延yan 弘hong 彤tong 影ying 征zheng 心xin 忆yi 念nian 怀huai 恩en 惠hui 慈ci 愿yuan 懿yi 战zhan
才cai 扬yang 捷jie 敬jing 斐fei 昌chang 昆kun 昕xin 星xing 昭zhao 晗han 曼man 有you 朋peng 望wang
杉shan 杭hang 柱zhu 栋dong 桦hua 棠tang 楠nan 槐huai 汉han 沁qin 沐mu 泉quan 洪hong 涌yong 润run 淼miao
湖hu 溢yi 滨bin 潮chao 灿can 炎yan 炜wei 烨ye 焕huan 煜yu 熙xi 爽shuang 玄xuan 玮wei 珂ke 珊shan 珏jue
琨kun 瑛ying 璋zhang 甜tian 盈ying 益yi 真zhen 瞳tong 硕shuo 祥xiang 禄lu 禾he 稳wen 穗sui 竹zhu 笑xiao
筱xiao 粉fen 紫zi 纯chun 纲gang 维wei 绮qi 继ji 续xu 缘yuan 罡gang 群qun 羽yu 翔xiang 翼yi 聪cong
腾teng 自zi 舟zhou 良liang 艺yi 芮rui 芯xin 茂mao 茜qian 茹ru 莎sha 菲fei 萌meng 蓓bei 蕾lei 藤teng
衡heng 裕yu 观guan 谦qian 豪hao 贝bei 贤xian 赛sai 越yue 辰chen 达da 迪di 通tong 道dao 遥yao 邦bang
郁yu 鸽ge 钊zhao 锡xi 闯chuang 阔kuo 隆long 雄xiong 霄xiao 靖jing 韬tao 韵yun 颂song 飘piao 馥fu
驰chi 骏jun 魁kui 鲜xian 麟lin 黛dai 鼎ding 宁ning 晋jin 玉yu 金jin 银yin
`;

const PINYIN: ReadonlyMap<string, string> = new Map(
  TABLE.split(/\s+/)
    .filter(Boolean)
    .map((entry) => [entry.slice(0, 1), entry.slice(1)] as const),
);

/** Two-character surnames; any other name's surname is its first character. */
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '皇甫',
  '令狐',
  '慕容',
  '公孙',
  '东方',
  '西门',
  '尉迟',
  '端木',
  '轩辕',
  '长孙',
  '赫连',
];

/** The Chinese characters of a name, without decorations such as "（演示）", "·" or spaces. */
export function nameCharacters(realName: string): string {
  return realName.replace(/[（(][^）)]*[）)]/g, '').replace(/[^\p{Script=Han}]/gu, '');
}

export interface NameParts {
  name: string;
  surname: string;
  given: string;
  /** Toneless pinyin per character, or null when a character is not in the table. */
  pinyin: string[] | null;
  surnameLength: number;
}

export function nameParts(realName: string): NameParts | null {
  const name = nameCharacters(realName);
  if (!name) return null;
  const surnameLength = name.length > 2 && COMPOUND_SURNAMES.includes(name.slice(0, 2)) ? 2 : 1;
  const chars = [...name];
  const pinyin = chars.map((c) => PINYIN.get(c));
  return {
    name,
    surname: chars.slice(0, surnameLength).join(''),
    given: chars.slice(surnameLength).join(''),
    pinyin: pinyin.every((p): p is string => !!p) ? pinyin : null,
    surnameLength,
  };
}

/** The spellings of a name people put in passwords: 王宇航 → 王宇航, 宇航, wangyuhang, yuhangwang, yuhang, wang, wyh, wangy, yu, hang. */
export function nameVariants(realName: string): string[] {
  const parts = nameParts(realName);
  if (!parts) return [];
  const out = [parts.name, parts.given, parts.surname];
  const py = parts.pinyin;
  if (py) {
    const surname = py.slice(0, parts.surnameLength).join('');
    const given = py.slice(parts.surnameLength).join('');
    const initials = py.map((p) => p[0]).join('');
    out.push(surname + given, given + surname, given, surname, initials, surname + given.slice(0, 1), ...py);
  }
  return [...new Set(out.filter((v) => v.length > 0).map((v) => v.toLowerCase()))];
}
