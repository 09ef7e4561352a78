package demo

// The names of the demo city. The districts are four urban districts of
// Hangzhou with their real GB/T 2260 codes; the streets, communities and
// roads are made up in the style of the place.

// districtSpec is one district: its code, names, and its streets.
type districtSpec struct {
	code    string
	zh, en  string
	pinyin  string // for login and unit codes
	streets []streetSpec
}

// streetSpec is a street (街道): its Chinese name and a pinyin slug.
type streetSpec struct{ zh, pinyin string }

// districts are laid out on the lattice by geography.go: 西湖区 to the
// west around the lake, 拱墅区 to the north-east, 上城区 to the south-east
// along the river, 滨江区 across the river.
var districts = []districtSpec{
	{code: "330106", zh: "西湖区", en: "Xihu District", pinyin: "xihu", streets: []streetSpec{
		{"北山街道", "beishan"}, {"西溪街道", "xixi"}, {"灵隐街道", "lingyin"}, {"翠苑街道", "cuiyuan"},
		{"文新街道", "wenxin"}, {"古荡街道", "gudang"}, {"转塘街道", "zhuantang"}, {"留下街道", "liuxia"},
		{"蒋村街道", "jiangcun"}, {"龙坞街道", "longwu"},
	}},
	{code: "330105", zh: "拱墅区", en: "Gongshu District", pinyin: "gongshu", streets: []streetSpec{
		{"米市巷街道", "mishixiang"}, {"湖墅街道", "hushu"}, {"小河街道", "xiaohe"}, {"和睦街道", "hemu"},
		{"拱宸桥街道", "gongchenqiao"}, {"大关街道", "daguan"}, {"上塘街道", "shangtang"}, {"祥符街道", "xiangfu"},
		{"半山街道", "banshan"}, {"康桥街道", "kangqiao"},
	}},
	{code: "330102", zh: "上城区", en: "Shangcheng District", pinyin: "shangcheng", streets: []streetSpec{
		{"湖滨街道", "hubin"}, {"清波街道", "qingbo"}, {"小营街道", "xiaoying"}, {"望江街道", "wangjiang"},
		{"南星街道", "nanxing"}, {"紫阳街道", "ziyang"}, {"凯旋街道", "kaixuan"}, {"采荷街道", "caihe"},
		{"闸弄口街道", "zhanongkou"}, {"四季青街道", "sijiqing"},
	}},
	{code: "330108", zh: "滨江区", en: "Binjiang District", pinyin: "binjiang", streets: []streetSpec{
		{"西兴街道", "xixing"}, {"长河街道", "changhe"}, {"浦沿街道", "puyan"}, {"江南街道", "jiangnan"},
		{"白马湖街道", "baimahu"}, {"闻涛街道", "wentao"}, {"冠山街道", "guanshan"}, {"缤纷街道", "binfen"},
		{"奥体街道", "aoti"}, {"钱塘湾街道", "qiantangwan"},
	}},
}

// communityHeads and communityTails combine into community names such as
// 清波社区 or 柳浪社区; the combinations are drawn without repeats.
var (
	communityHeads = []rune("清柳翠望紫金松竹梅兰桂枫荷莲凤春秋文华新安和平泰康宁庆德仁明光景锦绣涌钱定吴胜湖河塘溪桥")
	communityTails = []rune("波浪苑园坊巷桥塘湾岭亭河溪港庭林府里门湖滨山城洲浦")
)

// roads name the streets of addresses ("延安路128号附近").
var roads = []string{
	"延安路", "解放路", "庆春路", "中山路", "凤起路", "体育场路", "文三路", "文二路", "教工路", "学院路",
	"莫干山路", "湖墅南路", "江南大道", "滨盛路", "长河路", "东新路", "秋涛路", "望江路", "建国路", "环城东路",
	"环城北路", "天目山路", "古墩路", "丰潭路", "紫金港路", "花园岗街", "登云路", "上塘路", "大关路", "湖州街",
	"丽水路", "石祥路", "半山路", "钱江路", "之江路", "复兴路", "南山路", "清波街", "河坊街", "孩儿巷",
	"竹竿巷", "华光巷", "耀江路", "火炬大道", "西兴路", "浦沿路", "闻涛路", "江晖路", "伟业路", "物联网街",
	"网商路", "白马湖路", "长江路", "信诚路", "月明路", "星民路", "丹枫路", "晚霞路", "春晓路", "秋溢路",
}

// addressSuffixes follow a house number.
var addressSuffixes = []string{"附近", "门口", "对面", "旁", "东侧", "西侧", "路口", "南侧", "北侧"}

// surnames and givenChars make display names such as 王建国.
var (
	surnames   = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈")
	givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玲斌波宇浩凯慧佳琳晨欣怡")
)
