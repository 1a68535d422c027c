package stacks

import (
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/honeyhive/platform/environments"
)

// Options changes how stacks are built, independent of any environment.
type Options struct {
	// BootstrapLocalState gives the bootstrap stacks a local backend for
	// their first deploy (see BootstrapConfig.LocalState).
	BootstrapLocalState bool

	// PlanMode synthesizes the stacks for read-only plans, such as the
	// diffs of pull requests and drift checks. Every backend reads state as
	// the caller, the plan role, without assuming a role. The AWS providers
	// of HoneyHive's target accounts assume the read-only TargetPlanRoleName
	// role there instead of the deploy role. Such output cannot deploy.
	PlanMode bool
}

// planModeContext is the construct context key that carries
// Options.PlanMode from Build to every stack.
const planModeContext = "platform:plan-mode"

// inPlanMode reports whether the stacks under scope are built for
// read-only plans.
func inPlanMode(scope constructs.Construct) bool {
	v, _ := scope.Node().TryGetContext(jsii.String(planModeContext)).(bool)
	return v
}

// Built describes one stack that Build creates.
type Built struct {
	Name        string
	Environment string
	Region      string
	Layer       string

	// Dependency is true when the selection did not name this stack but a
	// selected stack reads its outputs: CDKTF's cross-stack references need
	// both stacks in one synth.
	Dependency bool

	env           environments.Environment
	region        environments.Region
	orchestration environments.Orchestration
	stateRegions  []string
	envs          []environments.Environment

	// peers are the other halves of the environment's hybrid SaaS pairs
	// in the stack's region.
	peers []environments.Environment
}

// Plannable reports whether the read-only plan role can plan the stack: a
// stack of an environment in HoneyHive's accounts. The bootstrap and
// orchestration stacks deploy with the orchestration deploy role, and
// customers' accounts have no plan role.
func (b Built) Plannable() bool {
	switch b.Layer {
	case LayerBootstrap, LayerOrchestration:
		return false
	}
	return TargetPlanRoleARN(b.env) != ""
}

// Plan returns the stacks sel selects from envs, in deploy order: bootstrap
// stacks first, then each environment's regional layers. It creates nothing,
// so callers can report a selection before paying for synthesis.
func Plan(envs []environments.Environment, sel Selection) []Built {
	var plan []Built

	for _, o := range orchestrations(envs) {
		regions, names := stateRegions(envs, o)
		selected := sel.hasLayer(LayerBootstrap) && slices.ContainsFunc(names, sel.hasEnvironment) &&
			slices.ContainsFunc(regions, func(r string) bool { return sel.hasRegion(environments.Region{Name: r}) })
		if !selected {
			continue
		}
		var members []environments.Environment
		for _, e := range envs {
			if e.Accounts.Orchestration == o {
				members = append(members, e)
			}
		}
		plan = append(plan, Built{
			Name:          BootstrapStackName(o),
			Environment:   o.Name,
			Region:        o.HomeRegion,
			Layer:         LayerBootstrap,
			orchestration: o,
			stateRegions:  regions,
			envs:          members,
		})
	}

	// Each environment's stacks, in dependency order. The orchestration
	// stack comes before them when one of them needs it.
	r := regionalPlanner{envs: envs, index: map[string]int{}}
	for _, env := range envs {
		if !sel.hasEnvironment(env.Name) {
			continue
		}
		if sel.hasLayer(LayerGlobal) && sel.hasRegion(env.Primary()) {
			r.addGlobal(env, false)
		}
		for _, region := range env.Regions {
			if !sel.hasRegion(region) {
				continue
			}
			for _, layer := range regionalLayers {
				if sel.hasLayer(layer) {
					r.add(env, region, layer, false)
				}
			}
		}
	}
	needsOrchestration := map[string]bool{}
	for _, b := range r.plan {
		if b.Layer == LayerGlobal {
			needsOrchestration[b.env.Accounts.Orchestration.Name] = true
		}
	}
	envPlans := r.plan

	for _, o := range orchestrations(envs) {
		regions, names := stateRegions(envs, o)
		selected := sel.hasLayer(LayerOrchestration) && slices.ContainsFunc(names, sel.hasEnvironment) &&
			sel.hasRegion(environments.Region{Name: o.HomeRegion})
		if !selected && !needsOrchestration[o.Name] {
			continue
		}
		var members []environments.Environment
		for _, e := range envs {
			if e.Accounts.Orchestration == o {
				members = append(members, e)
			}
		}
		plan = append(plan, Built{
			Name:          o.Name,
			Environment:   o.Name,
			Region:        o.HomeRegion,
			Layer:         LayerOrchestration,
			Dependency:    !selected,
			orchestration: o,
			stateRegions:  regions,
			envs:          members,
		})
	}
	plan = append(plan, envPlans...)
	return plan
}

// regionalLayers are the per-region layers, each reading the one before.
var regionalLayers = []string{LayerSubstrate, LayerHosting, LayerApplication}

// regionalPlanner orders the environments' stacks so that every stack comes
// after the stacks whose outputs it reads.
type regionalPlanner struct {
	// envs are all environments, where the other halves of hybrid pairs
	// are found.
	envs  []environments.Environment
	plan  []Built
	index map[string]int
}

// add plans env's stack of region and layer after everything it reads. A
// stack added as a dependency turns into a selected one if the selection
// names it later.
func (r *regionalPlanner) add(env environments.Environment, region environments.Region, layer string, dependency bool) {
	name := env.StackName(region, layer)
	if i, ok := r.index[name]; ok {
		if !dependency {
			r.plan[i].Dependency = false
		}
		return
	}

	peers := linkPeers(env, region, r.envs)
	switch layer {
	case LayerSubstrate:
		r.addGlobal(env, true)

	case LayerHosting:
		r.add(env, region, LayerSubstrate, true)

	case LayerApplication:
		r.add(env, region, LayerHosting, true)

		// The primary region replicates its data buckets into the DR
		// region's, so it reads that application stack's outputs.
		if dr, ok := env.DRRegion(); ok && region.Role == environments.RolePrimary && env.Components.DataStores {
			r.add(env, dr, LayerApplication, true)
		}

		// An endpoint to the other half of a hybrid pair reads the name of
		// its service from that half's hosting stack.
		for _, peer := range peers {
			peerRegion, _ := peer.Region(region.Name)
			r.add(peer, peerRegion, LayerHosting, true)
		}
	}

	r.index[name] = len(r.plan)
	r.plan = append(r.plan, Built{
		Name:        name,
		Environment: env.Name,
		Region:      region.Name,
		Layer:       layer,
		Dependency:  dependency,
		env:         env,
		region:      region,
		peers:       peers,
	})
}

// addGlobal plans env's account-wide stack, which every regional stack
// follows.
func (r *regionalPlanner) addGlobal(env environments.Environment, dependency bool) {
	name := GlobalStackName(env)
	if i, ok := r.index[name]; ok {
		if !dependency {
			r.plan[i].Dependency = false
		}
		return
	}
	r.index[name] = len(r.plan)
	r.plan = append(r.plan, Built{
		Name:        name,
		Environment: env.Name,
		Region:      env.Primary().Name,
		Layer:       LayerGlobal,
		Dependency:  dependency,
		env:         env,
		region:      env.Primary(),
	})
}

// Build creates the stacks sel selects from envs in scope and returns them in
// deploy order. envs must have passed environments.Validate and sel must have
// passed Selection.Validate.
func Build(scope constructs.Construct, envs []environments.Environment, sel Selection, opts Options) []Built {
	if opts.PlanMode {
		scope.Node().SetContext(jsii.String(planModeContext), true)
	}
	plan := Plan(envs, sel)
	orchestrationStacks := map[string]*Orchestration{}
	globals := map[string]*Global{}
	substrates := map[string]*Substrate{}
	hostings := map[string]*Hosting{}
	applications := map[string]*Application{}
	for _, p := range plan {
		key := p.env.Name + "/" + p.region.Name
		switch p.Layer {
		case LayerBootstrap:
			var stateRoles []string
			for _, e := range p.envs {
				stateRoles = append(stateRoles, StateRoleARN(e))
			}
			NewBootstrap(scope, BootstrapConfig{
				Orchestration: p.orchestration,
				Regions:       p.stateRegions,
				StateRoleARNs: stateRoles,
				LocalState:    opts.BootstrapLocalState,
			})

		case LayerOrchestration:
			orchestrationStacks[p.orchestration.Name] = NewOrchestration(scope, p.orchestration, p.envs, p.stateRegions)

		// Stack dependencies give `cdktf deploy` the order orchestration,
		// global, regional layers, where no cross-stack reference does.
		case LayerGlobal:
			g := NewGlobal(scope, p.env)
			g.Stack.AddDependency(orchestrationStacks[p.env.Accounts.Orchestration.Name].Stack)
			globals[p.env.Name] = g

		case LayerSubstrate:
			substrates[key] = NewSubstrate(scope, p.env, p.region)
			substrates[key].Stack.AddDependency(globals[p.env.Name].Stack)

		case LayerHosting:
			hostings[key] = NewHosting(scope, p.env, p.region, substrates[key], p.peers)

		case LayerApplication:
			var dr *Application
			if region, ok := p.env.DRRegion(); ok && p.region.Role == environments.RolePrimary {
				dr = applications[p.env.Name+"/"+region.Name]
			}
			applications[key] = NewApplication(scope, p.env, p.region, hostings[key], dr, p.peers)

			// The endpoints to the other halves of hybrid pairs read their
			// services from state, which CDKTF cannot see, so the order is
			// declared.
			for _, peer := range p.peers {
				applications[key].Stack.AddDependency(hostings[peer.Name+"/"+p.region.Name].Stack)
			}
		}
	}
	return plan
}

// orchestrations returns each distinct orchestration account once, in the
// order environments first name it.
func orchestrations(envs []environments.Environment) []environments.Orchestration {
	var result []environments.Orchestration
	for _, e := range envs {
		if !slices.Contains(result, e.Accounts.Orchestration) {
			result = append(result, e.Accounts.Orchestration)
		}
	}
	return result
}

// stateRegions returns the regions that need a state bucket in o (every
// region an environment of o deploys into, plus o's home region), and the
// names of those environments.
func stateRegions(envs []environments.Environment, o environments.Orchestration) (regions, names []string) {
	regions = []string{o.HomeRegion}
	for _, e := range envs {
		if e.Accounts.Orchestration != o {
			continue
		}
		names = append(names, e.Name)
		for _, r := range e.Regions {
			if !slices.Contains(regions, r.Name) {
				regions = append(regions, r.Name)
			}
		}
	}
	slices.Sort(regions)
	return regions, names
}
