package karpenter

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/helmrelease"
)

// nodeClassName is the EC2NodeClass both node pools launch from.
const nodeClassName = "default"

// Node pool behaviour. The values are Kubernetes durations.
const (
	// consolidateAfter is how long a node must stay empty or underused,
	// with no pod scheduled to or removed from it, before Karpenter removes
	// or replaces it. Five minutes keeps short bursts from churning nodes.
	consolidateAfter = "5m"

	// expireAfter replaces every node after 30 days, so nodes pick up
	// kernel and runtime state that drift alone does not change.
	expireAfter = "720h"

	// terminationGracePeriod bounds how long draining an expired or drifted
	// node may take when pod disruption budgets block eviction. After it,
	// Karpenter deletes the remaining pods.
	terminationGracePeriod = "24h"

	// disruptionBudget is the share of a pool's nodes that consolidation,
	// drift and expiry may disrupt at the same time.
	disruptionBudget = "10%"
)

// capacityPool is a node pool for one capacity type.
//
// On-demand has the higher weight, so Karpenter tries it first for every pod
// that accepts both: workloads run on capacity that cannot be reclaimed
// unless they opt in to spot with a karpenter.sh/capacity-type=spot node
// selector or affinity, which the on-demand pool cannot satisfy. Pods that
// accept both spill over to spot only when the on-demand pool has reached its
// limits.
type capacityPool struct {
	name         string
	capacityType string
	weight       int
}

var capacityPools = []capacityPool{
	{name: "on-demand", capacityType: "on-demand", weight: 50},
	{name: "spot", capacityType: "spot", weight: 10},
}

// objectMeta is the metadata of a cluster-scoped object.
type objectMeta struct {
	Name string `json:"name"`
}

// ec2NodeClass is a karpenter.k8s.aws/v1 EC2NodeClass.
type ec2NodeClass struct {
	APIVersion string           `json:"apiVersion"`
	Kind       string           `json:"kind"`
	Metadata   objectMeta       `json:"metadata"`
	Spec       ec2NodeClassSpec `json:"spec"`
}

type ec2NodeClassSpec struct {
	// Role is the node role's name. Karpenter creates the instance profile
	// for it.
	Role                       string               `json:"role"`
	AMISelectorTerms           []amiSelectorTerm    `json:"amiSelectorTerms"`
	SubnetSelectorTerms        []tagSelectorTerm    `json:"subnetSelectorTerms"`
	SecurityGroupSelectorTerms []tagSelectorTerm    `json:"securityGroupSelectorTerms"`
	AssociatePublicIPAddress   bool                 `json:"associatePublicIPAddress"`
	MetadataOptions            metadataOptions      `json:"metadataOptions"`
	BlockDeviceMappings        []blockDeviceMapping `json:"blockDeviceMappings"`
}

type amiSelectorTerm struct {
	Alias string `json:"alias"`
}

type tagSelectorTerm struct {
	Tags map[string]string `json:"tags"`
}

type metadataOptions struct {
	HTTPEndpoint            string `json:"httpEndpoint"`
	HTTPProtocolIPv6        string `json:"httpProtocolIPv6"`
	HTTPPutResponseHopLimit int    `json:"httpPutResponseHopLimit"`
	HTTPTokens              string `json:"httpTokens"`
}

type blockDeviceMapping struct {
	DeviceName string `json:"deviceName"`
	// RootVolume marks the volume that backs the node's ephemeral storage,
	// which Karpenter counts as allocatable.
	RootVolume bool        `json:"rootVolume"`
	EBS        blockDevice `json:"ebs"`
}

type blockDevice struct {
	VolumeSize          string `json:"volumeSize"`
	VolumeType          string `json:"volumeType"`
	Encrypted           bool   `json:"encrypted"`
	KMSKeyID            string `json:"kmsKeyID"`
	DeleteOnTermination bool   `json:"deleteOnTermination"`
}

// nodePool is a karpenter.sh/v1 NodePool.
type nodePool struct {
	APIVersion string       `json:"apiVersion"`
	Kind       string       `json:"kind"`
	Metadata   objectMeta   `json:"metadata"`
	Spec       nodePoolSpec `json:"spec"`
}

type nodePoolSpec struct {
	Template   nodeClaimTemplate `json:"template"`
	Disruption disruption        `json:"disruption"`
	Limits     resourceList      `json:"limits"`
	Weight     int               `json:"weight"`
}

type nodeClaimTemplate struct {
	Spec nodeClaimSpec `json:"spec"`
}

type nodeClaimSpec struct {
	NodeClassRef           nodeClassRef  `json:"nodeClassRef"`
	Requirements           []requirement `json:"requirements"`
	ExpireAfter            string        `json:"expireAfter"`
	TerminationGracePeriod string        `json:"terminationGracePeriod"`
}

type nodeClassRef struct {
	Group string `json:"group"`
	Kind  string `json:"kind"`
	Name  string `json:"name"`
}

type disruption struct {
	ConsolidationPolicy string   `json:"consolidationPolicy"`
	ConsolidateAfter    string   `json:"consolidateAfter"`
	Budgets             []budget `json:"budgets"`
}

type budget struct {
	Nodes string `json:"nodes"`
}

// newNodeClass returns the EC2NodeClass of every node. nodeRoleName and the
// key ARN are usually tokens.
//
// IMDSv2 is required and its hop limit is 1, so pods on the pod network
// cannot reach the instance metadata service to borrow the node role. They
// get AWS credentials through Pod Identity instead.
func newNodeClass(c Config, nodeRoleName string) ec2NodeClass {
	discovery := []tagSelectorTerm{{Tags: map[string]string{discoveryTagKey: c.ClusterName}}}
	return ec2NodeClass{
		APIVersion: "karpenter.k8s.aws/v1",
		Kind:       "EC2NodeClass",
		Metadata:   objectMeta{Name: nodeClassName},
		Spec: ec2NodeClassSpec{
			Role:                       nodeRoleName,
			AMISelectorTerms:           []amiSelectorTerm{{Alias: c.AMIAlias}},
			SubnetSelectorTerms:        discovery,
			SecurityGroupSelectorTerms: discovery,
			AssociatePublicIPAddress:   false,
			MetadataOptions: metadataOptions{
				HTTPEndpoint:            "enabled",
				HTTPProtocolIPv6:        "disabled",
				HTTPPutResponseHopLimit: 1,
				HTTPTokens:              "required",
			},
			BlockDeviceMappings: []blockDeviceMapping{{
				// The root device of the AL2023 AMIs.
				DeviceName: "/dev/xvda",
				RootVolume: true,
				EBS: blockDevice{
					VolumeSize:          fmt.Sprintf("%dGi", c.RootVolumeSizeGiB),
					VolumeType:          "gp3",
					Encrypted:           true,
					KMSKeyID:            *c.VolumeKMSKeyARN,
					DeleteOnTermination: true,
				},
			}},
		},
	}
}

// newNodePool returns the node pool of one capacity type.
func newNodePool(c Config, pool capacityPool) nodePool {
	requirements := []requirement{
		{Key: "karpenter.sh/capacity-type", Operator: "In", Values: []string{pool.capacityType}},
		{Key: "kubernetes.io/arch", Operator: "In", Values: []string{c.Architecture}},
		{Key: "kubernetes.io/os", Operator: "In", Values: []string{"linux"}},
		{Key: "karpenter.k8s.aws/instance-family", Operator: "In", Values: c.InstanceFamilies},
	}
	if len(c.AvailabilityZones) > 0 {
		requirements = append(requirements, requirement{Key: "topology.kubernetes.io/zone", Operator: "In", Values: c.AvailabilityZones})
	}

	return nodePool{
		APIVersion: "karpenter.sh/v1",
		Kind:       "NodePool",
		Metadata:   objectMeta{Name: pool.name},
		Spec: nodePoolSpec{
			Template: nodeClaimTemplate{Spec: nodeClaimSpec{
				NodeClassRef:           nodeClassRef{Group: "karpenter.k8s.aws", Kind: "EC2NodeClass", Name: nodeClassName},
				Requirements:           requirements,
				ExpireAfter:            expireAfter,
				TerminationGracePeriod: terminationGracePeriod,
			}},
			Disruption: disruption{
				ConsolidationPolicy: "WhenEmptyOrUnderutilized",
				ConsolidateAfter:    consolidateAfter,
				Budgets:             []budget{{Nodes: disruptionBudget}},
			},
			Limits: resourceList{
				CPU:    fmt.Sprint(c.CPULimit),
				Memory: fmt.Sprintf("%dGi", c.MemoryLimitGiB),
			},
			Weight: pool.weight,
		},
	}
}

// newNodePoolsRelease delivers the node class and the node pools through
// Helm. deps must include the controller release: when a pool is deleted,
// the controller drains and terminates its nodes, so on destroy the pools
// must go before the controller.
func newNodePoolsRelease(scope constructs.Construct, c Config, nodeRoleName string, deps []cdktf.ITerraformDependable) release.Release {
	manifests := []any{newNodeClass(c, nodeRoleName)}
	for _, pool := range capacityPools {
		manifests = append(manifests, newNodePool(c, pool))
	}
	return helmrelease.NewManifests(scope, "node_pools", helmrelease.ManifestsConfig{
		Name:      "karpenter-node-pools",
		Namespace: namespace,
		Manifests: manifests,
		Provider:  c.HelmProvider,
		DependsOn: deps,
	})
}
