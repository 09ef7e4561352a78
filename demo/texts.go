package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"civicgrid"
)

// pick returns one of xs.
func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

// descriptions are what reporters write about the common problems.
var descriptions = map[string][]string{
	"06010": {"路边有暴露垃圾约%d平方米，未及时清运", "绿化带旁堆放生活垃圾，散发异味", "人行道上有垃圾袋%d个，影响市容"},
	"09005": {"沿街店铺跨门经营，商品摆到人行道上", "餐饮店在门外摆放桌椅%d张", "店铺在门口摆摊促销，占用人行道"},
	"06036": {"楼道口乱堆杂物，堵塞通道", "路边堆放废旧建材和杂物约%d平方米", "小区门口乱堆纸箱杂物"},
	"09006": {"流动摊贩占道经营，影响通行", "早餐摊点占用人行道经营", "水果摊占道摆卖，约%d米"},
	"07001": {"电线杆上张贴小广告%d处", "墙面喷涂办证小广告", "公交站牌上粘贴非法小广告"},
	"09010": {"非机动车乱停放，堵塞盲道", "电动车在人行道上乱停约%d辆", "地铁口非机动车停放杂乱"},
	"09009": {"机动车占用人行道停放%d辆", "车辆停放在消防通道旁", "路口机动车乱停，影响通行"},
	"06013": {"路面破损坑洼约%d平方米", "人行道地砖松动破损%d块", "车行道出现裂缝和坑槽"},
	"06012": {"路面有油污和泥土，道路不洁", "人行道上积有落叶和垃圾", "道路两侧积尘明显"},
	"06042": {"垃圾桶满溢未及时清运", "垃圾收集点满溢，周边散落垃圾", "分类垃圾箱满溢%d个"},
	"06011": {"空地积存建筑垃圾渣土约%d立方米", "路边积存渣土未清运"},
	"09001": {"无照游商在路口摆卖", "流动商贩推车叫卖，占用车道"},
	"09011": {"共享单车大量堆积，占用人行道", "共享单车倒伏在路边%d辆"},
	"01037": {"路灯不亮%d盏", "路灯灯杆倾斜", "路灯白天常亮"},
	"06007": {"沿街晾晒衣物", "临街窗外晾挂被褥"},
	"03005": {"垃圾箱破损，盖子缺失", "果壳箱倾倒损坏"},
	"06017": {"绿地内有垃圾杂物", "绿化带内散落塑料袋和烟头"},
	"04002": {"行道树倾斜，有倒伏危险", "行道树枯死需更换", "树枝遮挡交通标志"},
	"01002": {"污水井盖破损", "污水井盖缺失，存在安全隐患"},
	"01003": {"雨水井盖松动有响声", "雨水井盖破裂"},
	"01004": {"雨水箅子堵塞", "雨水箅子缺失"},
	"06035": {"路边丢弃旧沙发和床垫", "废弃家具堆放在绿化带旁"},
	"08002": {"施工围挡占用人行道，未设通行通道", "施工材料堆放占道约%d米"},
	"07003": {"楼顶违规设置户外广告", "户外广告牌未经审批"},
	"06041": {"垃圾未分类投放，混装严重", "厨余垃圾投入其他垃圾桶"},
	"06029": {"夜间露天烧烤，油烟扰民", "路边摆摊烧烤"},
	"06027": {"餐饮店油烟直排，影响居民", "油烟净化设施未开启"},
	"06028": {"商铺音响声音过大扰民", "夜间噪声扰民"},
	"06034": {"小区内长期停放废弃车辆", "路边僵尸车积满灰尘"},
}

// description makes up a report's text.
func description(r *rand.Rand, cat *civicgrid.Category) string {
	if xs := descriptions[cat.Code]; len(xs) > 0 {
		s := pick(r, xs)
		if strings.Contains(s, "%d") {
			s = fmt.Sprintf(s, 2+r.IntN(9))
		}
		return s
	}
	if cat.Kind == civicgrid.Component {
		return fmt.Sprintf(pick(r, []string{"发现%s，需要维修", "%s，请尽快处理", "巡查发现%s"}), cat.Name.Zh)
	}
	return fmt.Sprintf(pick(r, []string{"发现%s问题", "%s，影响市容", "现场存在%s现象，请处置"}), cat.Name.Zh)
}

// finishNote is what a unit reports when it is done.
func finishNote(r *rand.Rand, cat *civicgrid.Category) string {
	if cat.Kind == civicgrid.Component {
		return pick(r, []string{"已维修完毕，恢复正常", "已更换新件，现场安全", "已修复并清理现场"})
	}
	return pick(r, []string{"已处置完毕，现场恢复整洁", "已整改到位", "已清理完毕", "已劝离并整改", "已责令当事人整改，现场已恢复"})
}

var (
	verifyPassNotes    = []string{"情况属实", "现场核实属实", "经核实属实，建议立案"}
	verifyFailNotes    = []string{"经现场核实，问题不存在", "现场未发现所述问题", "问题已自行消失", "位置不准确，现场无此问题"}
	cancelNotes        = []string{"重复上报，已并案", "不属于城市管理范畴，转相关部门", "信息不全，无法核实", "重复案件"}
	returnNotes        = []string{"不属于本单位职责范围，请改派", "权属不清，非本单位管养", "派遣错误，应由属地处置"}
	extendNotes        = []string{"需协调多个部门，申请延期", "材料采购需要时间，申请延期", "天气原因无法施工，申请延期"}
	extendApproveNotes = []string{"同意延期", "同意，请按期完成"}
	extendDenyNotes    = []string{"延期理由不充分，请按期处置", "不同意延期，请尽快处置"}
	suspendNotes       = []string{"需纳入工程计划，申请挂账", "涉及产权纠纷，暂时无法处置", "需等待季节条件，挂账处理"}
	checkPassNotes     = []string{"核查通过", "现场已整改到位", "经核查已处置"}
	checkFailNotes     = []string{"现场未整改到位，请重新处置", "问题仍然存在", "处置不彻底，需返工"}
	closeNotes         = []string{"结案", "同意结案"}
	urgeNotes          = []string{"请加快处置进度", "该案件已超期，请尽快办结", "市民多次反映，请高度重视"}
)

// citizenName is how a caller gives their name: 王先生, 李女士.
func citizenName(r *rand.Rand) string {
	return string(surnames[r.IntN(len(surnames))]) + pick(r, []string{"先生", "女士"})
}

// walkInStations are the demo's walk-in service stations (便民服务站 and
// 城管驿站).
var walkInStations = []string{"湖滨城管驿站", "清波便民服务站", "西溪城管驿站", "北山街道便民服务站", "滨江城管驿站", "拱宸桥便民服务站"}
