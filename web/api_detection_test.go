package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"civicgrid"
)

func TestDetections(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sys := civicgrid.WithActor(ctx, civicgrid.SystemUser)
	keys := civicgrid.NewAPIKeyService(e.db, e.clock.Now)
	key, _, err := keys.Create(sys, "camera-platform")
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["camera"] = key
	lat, lon := cellCenter(0)
	cams := `[{"id":"cam-1","name":"河坊街口","point":{"lat":` + ftoa(lat) + `,"lon":` + ftoa(lon) + `}}]`
	classes := `[{"code":"890","name":{"zh":"暴露垃圾"},"category_code":"` + catGarbage + `","auto_file_above":0.9}]`
	err = e.db.Update(ctx, func(tx civicgrid.Tx) error {
		if err := tx.SetSetting(ctx, civicgrid.SettingCameras, cams); err != nil {
			return err
		}
		return tx.SetSetting(ctx, civicgrid.SettingDetectionClasses, classes)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.city.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	batch := `{"detections":[
		{"camera_id":"cam-1","detection_id":"a1","class_code":"890","confidence":0.95,"at":"2026-03-10T08:55:00+08:00"},
		{"camera_id":"cam-1","detection_id":"a1","class_code":"890","confidence":0.95,"at":"2026-03-10T08:55:00+08:00"},
		{"camera_id":"cam-1","detection_id":"a2","class_code":"777","confidence":0.95,"at":"2026-03-10T08:55:00+08:00"}]}`
	e.run(t, []scenario{
		{name: "an operator may not send detections", method: "POST", path: "/api/v1/detections", actor: "operator", body: batch,
			wantStatus: http.StatusForbidden},
		{name: "no key", method: "POST", path: "/api/v1/detections", body: batch, wantStatus: http.StatusUnauthorized},
		{name: "empty batch", method: "POST", path: "/api/v1/detections", actor: "camera", body: `{"detections":[]}`,
			wantStatus: http.StatusBadRequest},
	})
	r := e.do("POST", "/api/v1/detections", "camera", batch)
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.body)
	}
	for _, want := range []string{`"outcome":"filed"`, `"outcome":"repeated"`, `"outcome":"rejected"`, `"class_code":"not mapped to a category"`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("answer lacks %s: %s", want, r.body)
		}
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
