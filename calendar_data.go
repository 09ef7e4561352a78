package civicgrid

// ChinaHolidays returns the holidays and make-up workdays of mainland China
// for 2025 and 2026, one override per date in date order, as set by the
// State Council's annual notices (国务院办公厅关于…部分节假日安排的通知).
// Holiday spans include the weekend days inside them, for clarity; only
// their weekdays change anything. Each call returns a fresh slice.
func ChinaHolidays() []DayOverride {
	var (
		newYear     = Text{"元旦", "New Year's Day"}
		spring      = Text{"春节", "Spring Festival"}
		qingming    = Text{"清明节", "Qingming Festival"}
		labour      = Text{"劳动节", "Labour Day"}
		dragonBoat  = Text{"端午节", "Dragon Boat Festival"}
		midAutumn   = Text{"中秋节", "Mid-Autumn Festival"}
		national    = Text{"国庆节", "National Day"}
		nationalMid = Text{"国庆节、中秋节", "National Day and Mid-Autumn Festival"}

		workNewYear  = Text{"元旦调休上班", "New Year's Day make-up workday"}
		workSpring   = Text{"春节调休上班", "Spring Festival make-up workday"}
		workLabour   = Text{"劳动节调休上班", "Labour Day make-up workday"}
		workNational = Text{"国庆节调休上班", "National Day make-up workday"}
	)
	// Each line is a span of the notice: from, to (inclusive), kind, name.
	spans := []struct {
		from, to Date
		kind     DayKind
		name     Text
	}{
		// 2025: 国办发明电〔2024〕12号, 2024-11-12.
		{Date{2025, 1, 1}, Date{2025, 1, 1}, DayHoliday, newYear},
		{Date{2025, 1, 26}, Date{2025, 1, 26}, DayWorkday, workSpring},
		{Date{2025, 1, 28}, Date{2025, 2, 4}, DayHoliday, spring},
		{Date{2025, 2, 8}, Date{2025, 2, 8}, DayWorkday, workSpring},
		{Date{2025, 4, 4}, Date{2025, 4, 6}, DayHoliday, qingming},
		{Date{2025, 4, 27}, Date{2025, 4, 27}, DayWorkday, workLabour},
		{Date{2025, 5, 1}, Date{2025, 5, 5}, DayHoliday, labour},
		{Date{2025, 5, 31}, Date{2025, 6, 2}, DayHoliday, dragonBoat},
		{Date{2025, 9, 28}, Date{2025, 9, 28}, DayWorkday, workNational},
		{Date{2025, 10, 1}, Date{2025, 10, 8}, DayHoliday, nationalMid},
		{Date{2025, 10, 11}, Date{2025, 10, 11}, DayWorkday, workNational},

		// 2026: the notice of 2025-11-04.
		{Date{2026, 1, 1}, Date{2026, 1, 3}, DayHoliday, newYear},
		{Date{2026, 1, 4}, Date{2026, 1, 4}, DayWorkday, workNewYear},
		{Date{2026, 2, 14}, Date{2026, 2, 14}, DayWorkday, workSpring},
		{Date{2026, 2, 15}, Date{2026, 2, 23}, DayHoliday, spring},
		{Date{2026, 2, 28}, Date{2026, 2, 28}, DayWorkday, workSpring},
		{Date{2026, 4, 4}, Date{2026, 4, 6}, DayHoliday, qingming},
		{Date{2026, 5, 1}, Date{2026, 5, 5}, DayHoliday, labour},
		{Date{2026, 5, 9}, Date{2026, 5, 9}, DayWorkday, workLabour},
		{Date{2026, 6, 19}, Date{2026, 6, 21}, DayHoliday, dragonBoat},
		{Date{2026, 9, 20}, Date{2026, 9, 20}, DayWorkday, workNational},
		{Date{2026, 9, 25}, Date{2026, 9, 27}, DayHoliday, midAutumn},
		{Date{2026, 10, 1}, Date{2026, 10, 7}, DayHoliday, national},
		{Date{2026, 10, 10}, Date{2026, 10, 10}, DayWorkday, workNational},
	}
	var out []DayOverride
	for _, s := range spans {
		for day := s.from; !s.to.Before(day); day = day.AddDays(1) {
			out = append(out, DayOverride{Date: day, Kind: s.kind, Name: s.name})
		}
	}
	return out
}
