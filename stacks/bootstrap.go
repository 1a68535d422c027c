package stacks

import (
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/statebackend"
	"github.com/honeyhive/platform/environments"
)

// BootstrapConfig describes the state infrastructure of one orchestration
// account.
type BootstrapConfig struct {
	Orchestration environments.Orchestration

	// Regions get a state bucket, lock table and state key each: every region
	// that any environment of this orchestration account deploys into.
	Regions []string

	// StateRoleARNs are the environments' state roles, which the buckets
	// admit besides the orchestration deploy role and the plan role.
	StateRoleARNs []string

	// LocalState keeps this stack's own state in a local file. The first
	// deploy needs it, because the bucket that will hold the state does not
	// exist yet. Afterwards `terraform init -migrate-state` moves the state
	// into the bucket, and this is turned off again.
	LocalState bool
}

// Bootstrap is the stack that creates the Terraform state buckets, their
// KMS keys and lock tables, in the orchestration account.
type Bootstrap struct {
	Stack    cdktf.TerraformStack
	Name     string
	Backends map[string]*statebackend.StateBackend
}

// BootstrapStackName returns the name of the bootstrap stack of o.
func BootstrapStackName(o environments.Orchestration) string {
	return o.Name + "-" + LayerBootstrap
}

// NewBootstrap creates the bootstrap stack. Its own state lives in the
// bucket it creates in the home region.
func NewBootstrap(scope constructs.Construct, cfg BootstrapConfig) *Bootstrap {
	o := cfg.Orchestration
	name := BootstrapStackName(o)

	sc := stackConfig{
		Name:          name,
		Layer:         LayerBootstrap,
		Region:        o.HomeRegion,
		Environment:   o.Name,
		CostCentre:    "platform",
		Account:       o.Account,
		Orchestration: o,
		LocalState:    cfg.LocalState,
	}
	stack, _ := newStack(scope, sc)

	regions := slices.Clone(cfg.Regions)
	slices.Sort(regions)

	b := &Bootstrap{Stack: stack, Name: name, Backends: map[string]*statebackend.StateBackend{}}
	for _, region := range regions {
		info, _ := environments.LookupRegion(region)

		// One stack reaches every state region through one aliased provider
		// per region, so the whole state layer is deployed in one run.
		var aws cdktf.TerraformProvider
		if region != o.HomeRegion {
			rc := sc
			rc.Region = region
			aws = newAWSProvider(stack, "aws_"+info.Code, info.Code, rc)
		}

		b.Backends[region] = statebackend.New(stack, "state_"+info.Code, statebackend.Config{
			BucketName:    o.BucketName(region),
			LockTableName: o.State.LockTable,
			AccountID:     o.ID,
			Region:        region,
			AdminRoleARNs: []string{o.DeployRoleARN()},

			// Backends reach state through their environment's state role
			// (the account-wide stacks through the orchestration deploy
			// role), and pull requests read it through the plan role. No
			// other principal is admitted.
			AccessRoleARNs: append([]string{o.DeployRoleARN(), planRoleARN(o)}, cfg.StateRoleARNs...),
			KeyAlias:       stateKeyAlias(o),
			Provider:       aws,
		})
	}
	return b
}
