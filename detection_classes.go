package civicgrid

import (
	"context"
	"encoding/json"
	"fmt"
)

// DefaultDetectionClasses maps the urban-management alarm classes of a
// common video-analysis platform (Dahua's 智能城管报警 codes) to GB/T
// 47678.5 categories. None files itself by default: a city sets
// AutoFileAbove where it trusts the model.
func DefaultDetectionClasses() []DetectionClass {
	return []DetectionClass{
		{Code: "882", Name: Text{"商铺占道经营", "Shop business on the pavement"}, CategoryCode: "09005"},
		{Code: "883", Name: Text{"垃圾违章倾倒", "Illegal dumping"}, CategoryCode: "06036"},
		{Code: "887", Name: Text{"游摊小贩", "Roaming street vendor"}, CategoryCode: "09001"},
		{Code: "890", Name: Text{"暴露垃圾", "Exposed garbage"}, CategoryCode: "06010"},
		{Code: "891", Name: Text{"违规撑伞", "Umbrella stall on the pavement"}, CategoryCode: "09006"},
		{Code: "892", Name: Text{"门前脏乱", "Untidy shop frontage"}, CategoryCode: "06012"},
		{Code: "893", Name: Text{"机动车违停", "Illegally parked motor vehicle"}, CategoryCode: "09009"},
		{Code: "894", Name: Text{"非机动车违停", "Illegally parked bicycle"}, CategoryCode: "09010"},
		{Code: "895", Name: Text{"垃圾桶满溢", "Overflowing bin"}, CategoryCode: "06042"},
	}
}

// SetCameras replaces the camera registry; every camera must have an id and
// stand inside the grid.
func (s *ReferenceService) SetCameras(ctx context.Context, cams []Camera) error {
	fe := FieldErrors{}
	seen := map[string]bool{}
	for i, c := range cams {
		switch {
		case c.ID == "" || len(c.ID) > 64:
			fe.Add(fmt.Sprintf("cameras[%d].id", i), "1–64 characters")
		case seen[c.ID]:
			fe.Add(fmt.Sprintf("cameras[%d].id", i), "repeated")
		}
		seen[c.ID] = true
		if s.city != nil {
			if _, err := s.city.City().Grid.Locate(c.Point); err != nil {
				fe.Add(fmt.Sprintf("cameras[%d].point", i), "outside the managed area")
			}
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.saveJSON(ctx, SettingCameras, cams)
}

// SetDetectionClasses replaces the class table; every class must name an
// existing category and a threshold between 0 and 1.
func (s *ReferenceService) SetDetectionClasses(ctx context.Context, classes []DetectionClass) error {
	fe := FieldErrors{}
	for i, c := range classes {
		if c.Code == "" {
			fe.Add(fmt.Sprintf("classes[%d].code", i), "required")
		}
		if s.city != nil && s.city.City().Categories[c.CategoryCode] == nil {
			fe.Add(fmt.Sprintf("classes[%d].category_code", i), "unknown category")
		}
		if c.AutoFileAbove < 0 || c.AutoFileAbove > 1 {
			fe.Add(fmt.Sprintf("classes[%d].auto_file_above", i), "between 0 and 1")
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.saveJSON(ctx, SettingDetectionClasses, classes)
}

// saveJSON stores v as the JSON setting key.
func (s *ReferenceService) saveJSON(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx Tx) error { return tx.SetSetting(ctx, key, string(b)) })
}
