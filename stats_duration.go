package civicgrid

import (
	"cmp"
	"context"
	"slices"
)

// DurationRow is one group of a durations answer.
type DurationRow struct {
	Key       string                   `json:"key"`
	Name      Text                     `json:"name"`
	Durations map[string]*DurationStat `json:"durations"`
}

// DurationsResult is the answer to a durations query.
type DurationsResult struct {
	GroupBy            StatDim        `json:"group_by"`
	From               Date           `json:"from"`
	To                 Date           `json:"to"`
	Rows               []*DurationRow `json:"rows"`
	DefinitionsVersion int            `json:"definitions_version"`
}

// Durations returns, for each value of q.GroupBy over the days from q.From
// up to q.To (exclusive), the number of cases and the median, 90th
// percentile and mean of the duration metrics q names (all when none),
// within the actor's scope as Query's. It reads only the kept durations.
func (s *StatsService) Durations(ctx context.Context, q StatsQuery) (*DurationsResult, error) {
	actor := ActorFrom(ctx)
	if actor == nil || !actor.Active {
		return nil, Errorf(Unauthorized, "sign in first")
	}
	codes := q.Metrics
	q.Metrics = nil
	if _, err := s.checkQuery(&q); err != nil {
		return nil, err
	}
	fe := FieldErrors{}
	if len(codes) == 0 {
		for _, m := range durationDefs {
			codes = append(codes, m.Code)
		}
	}
	for _, code := range codes {
		if DurationMetricByCode(code) == nil {
			fe.Add("metrics", "unknown duration metric "+code+"; GET /api/v1/metrics lists them")
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if err := scopeStats(actor, &q); err != nil {
		return nil, err
	}
	res := &DurationsResult{GroupBy: q.GroupBy, From: q.From, To: q.To, Rows: []*DurationRow{}, DefinitionsVersion: s.cfg.DefinitionsVersion}
	err := s.store.View(ctx, func(tx Tx) error {
		rows := map[string]*DurationRow{}
		for _, code := range codes {
			q.Metrics = []string{code}
			counts, err := tx.FindDurations(ctx, q)
			if err != nil {
				return err
			}
			for i := 0; i < len(counts); {
				j := i
				for j < len(counts) && counts[j].Value == counts[i].Value {
					j++
				}
				r := rows[counts[i].Value]
				if r == nil {
					r = &DurationRow{Key: counts[i].Value, Durations: map[string]*DurationStat{}}
					rows[r.Key] = r
					res.Rows = append(res.Rows, r)
				}
				r.Durations[code] = summarise(counts[i:j])
				i = j
			}
		}
		for _, r := range res.Rows {
			for _, code := range codes {
				if r.Durations[code] == nil {
					r.Durations[code] = &DurationStat{}
				}
			}
			var err error
			if r.Name, err = s.statName(ctx, tx, q.GroupBy, r.Key); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(res.Rows, func(a, b *DurationRow) int { return cmp.Compare(a.Key, b.Key) })
	return res, nil
}
