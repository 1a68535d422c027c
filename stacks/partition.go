package stacks

import (
	"slices"

	"github.com/honeyhive/platform/environments"
)

// minStacksPerPart is the smallest number of stacks (those of the
// orchestration account not counted) worth a synth process of their own. On
// the 2-CPU build machine, selections of 16 or fewer stacks synthesized no
// faster in two processes than in one, and the fleet's 33 did.
const minStacksPerPart = 12

// Partition splits sel into at most n selections whose stacks can be
// synthesized in separate processes, balanced by their number of stacks. It
// returns nil when sel cannot be split, for example when it names one
// environment, or has fewer than minStacksPerPart stacks for each part.
//
// Each selection keeps sel's regions and layers and takes a share of its
// environments. The two halves of a hybrid pair stay in one selection,
// because each reads stacks of the other, and a stack whose outputs another
// stack reads must be synthesized in the same app. Every selection that
// needs the stacks of the orchestration account, which every environment's
// global stack follows, plans them too. So the separate synths write them
// more than once, in identical copies.
func Partition(envs []environments.Environment, sel Selection, n int) []Selection {
	if n < 2 {
		return nil
	}

	// Count each selected environment's planned stacks. Dependencies count
	// for the environment whose stacks read them.
	plan := Plan(envs, sel)
	weight := map[string]int{}
	var names []string
	group := map[string]string{}
	for _, b := range plan {
		if b.Layer == LayerBootstrap || b.Layer == LayerOrchestration || !sel.hasEnvironment(b.Environment) {
			continue
		}
		if _, seen := weight[b.Environment]; !seen {
			names = append(names, b.Environment)
			group[b.Environment] = b.Environment
		}
		weight[b.Environment]++
	}

	// Join the halves of hybrid pairs that are both selected.
	var root func(string) string
	root = func(name string) string {
		if group[name] == name {
			return name
		}
		return root(group[name])
	}
	for _, b := range plan {
		for _, peer := range b.peers {
			if _, ok := group[peer.Name]; ok && sel.hasEnvironment(b.Environment) {
				group[root(peer.Name)] = root(b.Environment)
			}
		}
	}

	type share struct {
		envs   []string
		weight int
	}
	var groups []*share
	byRoot := map[string]*share{}
	for _, name := range names {
		r := root(name)
		g, ok := byRoot[r]
		if !ok {
			g = &share{}
			byRoot[r] = g
			groups = append(groups, g)
		}
		g.envs = append(g.envs, name)
		g.weight += weight[name]
	}
	// A synth process costs about 0.3 s of CPU before its first stack and
	// about 100 MiB of memory, so small parts are slower than one process.
	total := 0
	for _, g := range groups {
		total += g.weight
	}
	n = min(n, total/minStacksPerPart)
	if len(groups) < 2 || n < 2 {
		return nil
	}

	// Largest group first, each into the lightest bin so far.
	slices.SortStableFunc(groups, func(a, b *share) int { return b.weight - a.weight })
	bins := make([]share, min(n, len(groups)))
	for _, g := range groups {
		lightest := 0
		for i := range bins {
			if bins[i].weight < bins[lightest].weight {
				lightest = i
			}
		}
		bins[lightest].envs = append(bins[lightest].envs, g.envs...)
		bins[lightest].weight += g.weight
	}

	order := map[string]int{}
	for i, e := range envs {
		order[e.Name] = i
	}
	parts := make([]Selection, len(bins))
	for i, bin := range bins {
		slices.SortFunc(bin.envs, func(a, b string) int { return order[a] - order[b] })
		parts[i] = Selection{Environments: bin.envs, Regions: sel.Regions, Layers: sel.Layers}
	}
	return parts
}
