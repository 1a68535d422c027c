package karpenter

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/podidentity"
)

// Karpenter is a Karpenter v1 installation and the AWS resources it uses.
type Karpenter struct {
	constructs.Construct

	// ControllerRoleARN is the controller's Pod Identity role.
	ControllerRoleARN *string

	// NodeRoleARN and NodeRoleName identify the role of the nodes Karpenter
	// launches.
	NodeRoleARN  *string
	NodeRoleName *string

	// InterruptionQueueName and InterruptionQueueARN identify the SQS queue
	// of interruption events.
	InterruptionQueueName *string
	InterruptionQueueARN  *string

	// NodePools is the release of the node class and node pools. Resources
	// that need Karpenter to launch nodes for them can depend on it.
	NodePools cdktf.ITerraformDependable
}

// New creates Karpenter for one cluster. It creates the controller's Pod
// Identity role, the node role and its access entry, and the interruption
// queue with its EventBridge rules. It installs the karpenter-crd and
// karpenter charts and one EC2NodeClass with an on-demand and a spot
// NodePool. It panics if cfg is invalid.
func New(scope constructs.Construct, id string, cfg Config) *Karpenter {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))

	nodes := newNodeIdentity(c, cfg)
	queue := newInterruptionQueue(c, cfg)

	policy := controllerPolicy(cfg, *queue.Arn(), *nodes.role.Arn())
	controller := podidentity.NewRole(c, "controller", podidentity.RoleConfig{
		Name:           cfg.Name + controllerRoleSuffix,
		ClusterName:    cfg.Cluster,
		ClusterARN:     cfg.ClusterARN,
		AccountID:      cfg.AccountID,
		Namespace:      namespace,
		ServiceAccount: serviceAccount,
		Policy:         &policy,
	})

	// Pod Identity injects credentials only into pods created after the
	// association exists. The controller needs its policy until it has
	// terminated every node it launched. So the release waits for every
	// resource of the role and, on destroy, is removed before them.
	rel := newReleases(c, cfg, *queue.Name(), terraformResources(controller))

	poolDeps := append([]cdktf.ITerraformDependable{rel.controller}, nodes.joinResources...)
	pools := newNodePoolsRelease(c, cfg, *nodes.role.Name(), poolDeps)

	return &Karpenter{
		Construct:             c,
		ControllerRoleARN:     controller.RoleARN,
		NodeRoleARN:           nodes.role.Arn(),
		NodeRoleName:          nodes.role.Name(),
		InterruptionQueueName: queue.Name(),
		InterruptionQueueARN:  queue.Arn(),
		NodePools:             pools,
	}
}

// terraformResources returns the Terraform resources directly inside scope,
// in creation order.
func terraformResources(scope constructs.Construct) []cdktf.ITerraformDependable {
	var found []cdktf.ITerraformDependable
	for _, child := range *scope.Node().Children() {
		if r, ok := child.(cdktf.ITerraformDependable); ok {
			found = append(found, r)
		}
	}
	return found
}
