package demo

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"

	"civicgrid"
)

// DefaultBatch is how many cases BuildLarge writes per bulk transaction
// unless told otherwise.
const DefaultBatch = 100000

// BuildLarge fills the empty store with the demo city and opts.Cases cases
// (no default: 0 is none), for benchmarks at scale (大数据量压测): the same
// geography, units, people, channels, categories and lives as Build, played
// through the same engine, but planned and written batch cases at a time,
// each batch in a bulk transaction of its own, so memory stays bounded
// whatever the number of cases. Each batch draws the reports of a run of
// days of the year before opts.Now from the same weighted places and
// categories (the busy cells stay busy), so case IDs follow time.
// events wraps the transaction each batch writes in; nil writes everything.
// A failure leaves the batches already written.
func BuildLarge(ctx context.Context, store civicgrid.Store, bulk func(ctx context.Context, fn func(civicgrid.Tx) error) error,
	opts Options, batch int, wrap func(civicgrid.Tx) civicgrid.Tx) (*Result, error) {
	if opts.Hash == nil {
		return nil, civicgrid.Errorf(civicgrid.Invalid, "demo: Options.Hash is required")
	}
	if batch <= 0 {
		batch = DefaultBatch
	}
	if wrap == nil {
		wrap = func(tx civicgrid.Tx) civicgrid.Tx { return tx }
	}
	total := max(opts.Cases, 0)
	progress := opts.Progress
	if progress == nil {
		progress = func(string, int, int) {}
	}
	if err := checkEmpty(ctx, store); err != nil {
		return nil, err
	}
	ref := opts
	ref.Cases, ref.Progress = 0, func(string, int, int) {}
	b, err := plan(ref)
	if err != nil {
		return nil, err
	}
	var city *civicgrid.City
	if err := bulk(ctx, func(tx civicgrid.Tx) error {
		city, err = b.writeReference(ctx, tx)
		return err
	}); err != nil {
		return nil, err
	}
	// One planner weighs days, cells and categories once; each batch draws
	// from it with a random stream of its own.
	p := &planner{r: rand.New(rand.NewPCG(uint64(opts.Seed), 0x62656e6368)), cal: b.cal, now: b.now, start: b.now.AddDate(-1, 0, 0),
		geo: b.geo, cats: b.cats, hourCum: map[civicgrid.Source][]float64{}}
	p.weighDays()
	w := make([]float64, len(sourceShares))
	for i, s := range sourceShares {
		w[i] = s.weight
		h := hourWeights[s.source]
		p.hourCum[s.source] = cumulative(h[:])
	}
	p.sourceCum = cumulative(w)
	p.weighCells()
	p.weighCategories()

	// Batches follow time: each draws its reports over a run of whole days
	// holding about batch cases' worth of weight, so case IDs follow the
	// reports across batches as they do in a live city.
	days, dayCum, workCum := p.days, p.dayCum, p.workCum
	weight := func(cum []float64, i, j int) float64 {
		if i == 0 {
			return cum[j-1]
		}
		return cum[j-1] - cum[i-1]
	}
	window := func(cum []float64, i, j int) []float64 {
		out := make([]float64, j-i)
		for k := range out {
			out[k] = weight(cum, i, i+k+1)
		}
		return out
	}
	totalWeight := dayCum[len(dayCum)-1]
	seq := map[int]int{}
	done := 0
	for i, k := 0, 0; i < len(days) && done < total; k++ {
		j := i + 1
		for j < len(days) && float64(total)*weight(dayCum, i, j)/totalWeight < float64(batch) {
			j++
		}
		n := int(math.Round(float64(total)*weight(dayCum, 0, j)/totalWeight)) - done
		if j == len(days) {
			n = total - done
		}
		p.days, p.dayCum, p.workCum = days[i:j], window(dayCum, i, j), window(workCum, i, j)
		if p.workCum[len(p.workCum)-1] == 0 { // no working day: office channels report anyway
			p.workCum = p.dayCum
		}
		p.r = rand.New(rand.NewPCG(uint64(opts.Seed), uint64(k+1)))
		plans := make([]*casePlan, max(n, 0))
		for i := range plans {
			plans[i] = p.draw()
		}
		slices.SortStableFunc(plans, func(a, b *casePlan) int { return a.at.Compare(b.at) })
		for _, c := range plans {
			c.year = c.at.Year()
			seq[c.year]++
			c.seq = seq[c.year]
		}
		if j == len(days) {
			p.chooseStuck(plans) // the cases left open at the end
		}
		b.plans = plans
		// Every batch plays its lives with a seed of its own: case i of
		// two batches must not share its draws.
		b.opts.Seed = opts.Seed + int64(k)*1_000_003
		base := done
		b.opts.Progress = func(stage string, d, _ int) { progress(stage, base+d, total) }
		if err := bulk(ctx, func(tx civicgrid.Tx) error { return b.writeCases(ctx, wrap(tx), city) }); err != nil {
			return b.res, err
		}
		b.plans = nil
		done += len(plans)
		i = j
	}
	return b.res, nil
}
