package civicgrid_test

import (
	"strings"
	"testing"

	"civicgrid"
)

func TestParseHotlineCSV(t *testing.T) {
	good := "\ufeff工单编号,受理时间,问题类别,地址,纬度,经度,坐标系,问题描述,来电人,联系电话,受理人\n" +
		"GD20260310001,2026-03-10 09:30:00,06010,湖滨路12号,30.2505,120.1505,gcj02,路口暴露垃圾,张先生,13800000000,话务员7\n" +
		"GD20260310002,2026/03/10 10:05,09006,\"延安路1号, 东侧\",30.2515,120.1515,,占道经营,,,\n"
	ins, err := civicgrid.ParseHotlineCSV(strings.NewReader(good), cst)
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 2 {
		t.Fatalf("%d rows, want 2", len(ins))
	}
	a := ins[0]
	if a.Source != civicgrid.SourceHotline || a.Intake.ExternalID != "GD20260310001" || a.CRS != civicgrid.GCJ02 ||
		a.Reporter.Phone != "13800000000" || a.Intake.ReceivedBy != "话务员7" || a.Intake.DeviceTime == nil || a.Intake.DeviceTime.Hour() != 9 {
		t.Errorf("row 1: %+v", a)
	}
	if ins[1].Address != "延安路1号, 东侧" || ins[1].CRS != "" {
		t.Errorf("row 2: %+v", ins[1])
	}

	english := "order_id,category_code,lat,lon,description\nX1,06010,30.25,120.15,garbage\n"
	if ins, err := civicgrid.ParseHotlineCSV(strings.NewReader(english), cst); err != nil || len(ins) != 1 {
		t.Errorf("English headers: %v %v", ins, err)
	}

	tests := []struct {
		name, csv string
		field     string
	}{
		{"missing column", "工单编号,问题类别,纬度,经度\nA,06010,30,120\n", "line 1"},
		{"bad number", "工单编号,问题类别,纬度,经度,问题描述\nA,06010,北纬30,120.15,x\n", "line 2, column 纬度"},
		{"missing order id", "工单编号,问题类别,纬度,经度,问题描述\n,06010,30.25,120.15,x\n", "line 2, column 工单编号"},
		{"missing description on line 3", "工单编号,问题类别,纬度,经度,问题描述\nA,06010,30.25,120.15,x\nB,06010,30.25,120.15,\n", "line 3, column 问题描述"},
		{"bad time", "工单编号,受理时间,问题类别,纬度,经度,问题描述\nA,昨天,06010,30.25,120.15,x\n", "line 2, column 受理时间"},
		{"bad crs", "工单编号,问题类别,纬度,经度,问题描述,坐标系\nA,06010,30.25,120.15,x,mars\n", "line 2, column 坐标系"},
		{"bad quoting", "工单编号,问题类别,纬度,经度,问题描述\nA,06010,30.25,120.15,\"x\n", "line 2"},
		{"no rows", "工单编号,问题类别,纬度,经度,问题描述\n", "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := civicgrid.ParseHotlineCSV(strings.NewReader(tt.csv), cst)
			e := civicgrid.AsError(err)
			if e == nil || e.Code != civicgrid.Invalid {
				t.Fatalf("error %v, want invalid", err)
			}
			if _, ok := e.Fields[tt.field]; !ok {
				t.Errorf("fields %v do not name %q", e.Fields, tt.field)
			}
		})
	}
}
