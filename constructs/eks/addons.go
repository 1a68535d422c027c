package eks

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaddon"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
	"github.com/honeyhive/platform/constructs/iampolicy"
	"github.com/honeyhive/platform/constructs/podidentity"
)

// Names of the EKS add-ons NewAddons installs, as the EKS API spells them.
// They are also the keys of Addons.Addons.
const (
	AddonVPCCNI           = "vpc-cni"
	AddonKubeProxy        = "kube-proxy"
	AddonPodIdentityAgent = "eks-pod-identity-agent"
	AddonCoreDNS          = "coredns"
	AddonEBSCSIDriver     = "aws-ebs-csi-driver"
)

const (
	// ebsCSINamespace and ebsCSIServiceAccount name the service account of
	// the EBS CSI controller, the only part of the driver that calls AWS APIs.
	ebsCSINamespace      = "kube-system"
	ebsCSIServiceAccount = "ebs-csi-controller-sa"

	ebsCSIRoleSuffix = "-ebs-csi-driver"
)

// vpcCNIConfiguration is the part of the vpc-cni add-on's configuration
// values that NewAddons sets. The add-on's configuration schema types
// enableNetworkPolicy as a string, not a JSON boolean.
type vpcCNIConfiguration struct {
	EnableNetworkPolicy string `json:"enableNetworkPolicy"`
}

// AddonsConfig configures NewAddons.
type AddonsConfig struct {
	// ClusterName and ClusterARN identify the cluster, usually as the
	// Cluster.Name and Cluster.ARN tokens. Required.
	ClusterName *string
	ClusterARN  *string

	// Version is the cluster's Kubernetes minor version, a key of
	// SupportedVersions. It selects the add-on versions. Required.
	Version string

	// AccountID is the cluster's 12-digit account. Required.
	AccountID string

	// VolumeKMSKeyARN is the customer-managed key the EBS CSI driver
	// encrypts volumes with. The driver's role may use this key only.
	// Required.
	VolumeKMSKeyARN *string

	// Name prefixes IAM names, such as "prod-usw2". The EBS CSI role is
	// "<Name>-ebs-csi-driver". Required.
	Name string

	// NodeGroup is the resource CoreDNS and the EBS CSI driver wait for,
	// usually NodeGroup.Resource, because their Deployments need nodes to
	// become ready. Required.
	NodeGroup cdktf.ITerraformDependable

	// Partition is the AWS partition. Default: DefaultPartition.
	Partition string
}

func (c AddonsConfig) withDefaults() AddonsConfig {
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	return c
}

// Validate returns every problem with the configuration, joined, or nil.
func (c AddonsConfig) Validate() error {
	var errs []error
	if awsid.Missing(c.ClusterName) || awsid.Missing(c.ClusterARN) {
		errs = append(errs, errors.New("eks: AddonsConfig.ClusterName and ClusterARN are required; pass the cluster's Name and ARN"))
	}
	if _, ok := SupportedVersions[c.Version]; !ok {
		errs = append(errs, fmt.Errorf("eks: AddonsConfig.Version: %q is not a supported Kubernetes version; use one of %s", c.Version, supportedVersionsText()))
	}
	if err := awsid.AccountID("eks: AddonsConfig.AccountID", c.AccountID); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.KMSKeyARN("eks: AddonsConfig.VolumeKMSKeyARN", c.VolumeKMSKeyARN); err != nil {
		errs = append(errs, err)
	}
	switch {
	case c.Name == "":
		errs = append(errs, errors.New(`eks: AddonsConfig.Name is missing; set a name prefix such as "prod-usw2"`))
	case len(c.Name)+len(ebsCSIRoleSuffix) > 64:
		errs = append(errs, fmt.Errorf("eks: AddonsConfig.Name: %q makes the role name %q longer than IAM's 64 characters; use a shorter prefix", c.Name, c.Name+ebsCSIRoleSuffix))
	}
	if c.NodeGroup == nil {
		errs = append(errs, errors.New("eks: AddonsConfig.NodeGroup is missing; pass the node group's Resource so CoreDNS and the EBS CSI driver wait for nodes"))
	}
	if err := awsid.Partition("eks: AddonsConfig.Partition", c.Partition, supportedPartitions...); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Addons are the EKS managed add-ons of a cluster and the IAM role of the
// EBS CSI driver.
type Addons struct {
	constructs.Construct

	// EBSCSIRoleARN is the Pod Identity role of the EBS CSI controller.
	EBSCSIRoleARN *string

	// Addons are the aws_eks_addon resources by add-on name (AddonVPCCNI,
	// AddonCoreDNS, ...).
	Addons map[string]eksaddon.EksAddon
}

// NewAddons installs the VPC CNI, kube-proxy, the Pod Identity Agent,
// CoreDNS and the EBS CSI driver as EKS managed add-ons at the versions
// SupportedVersions pins for cfg.Version, and creates the EBS CSI
// controller's Pod Identity role. It panics if cfg is invalid after defaults
// are applied.
//
// Conflicts resolve to OVERWRITE on create and update, because Terraform is
// the source of truth for add-on configuration, and deleting an add-on
// removes its Kubernetes resources (preserve false) so no orphaned
// DaemonSet keeps running unmanaged.
//
// The VPC CNI enforces Kubernetes NetworkPolicies, because its
// configuration values set enableNetworkPolicy, which switches on the
// network policy agent in every aws-node pod. Without the setting,
// NetworkPolicy objects are stored but have no effect.
//
// NOTE: the agent runs in its default standard mode, in which a new pod
// sends and accepts any traffic until the agent has applied the policies
// that select it. Strict mode would close that window, but it denies all
// traffic of every pod, the platform's own included, until a policy
// allows it.
//
// The VPC CNI, kube-proxy and the Pod Identity Agent are DaemonSets. They do
// not wait for the node group, so they are installed while its instances
// boot. A node that registers before aws-node runs on it stays NotReady
// until aws-node starts. CoreDNS and the EBS CSI driver run Deployments, which EKS reports as
// degraded until nodes exist, so they wait for cfg.NodeGroup. The EBS CSI
// driver also waits for its Pod Identity association, because the controller
// cannot create volumes without it.
func NewAddons(scope constructs.Construct, id string, cfg AddonsConfig) *Addons {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))
	versions := SupportedVersions[cfg.Version]

	ebsRole := podidentity.NewRole(c, "ebs_csi", podidentity.RoleConfig{
		Name:              cfg.Name + ebsCSIRoleSuffix,
		ClusterName:       cfg.ClusterName,
		ClusterARN:        cfg.ClusterARN,
		AccountID:         cfg.AccountID,
		Namespace:         ebsCSINamespace,
		ServiceAccount:    ebsCSIServiceAccount,
		Policy:            ebsCSIKeyPolicy(cfg.VolumeKMSKeyARN),
		ManagedPolicyARNs: []string{fmt.Sprintf("arn:%s:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy", cfg.Partition)},
	})
	association := ebsRole.Association

	addons := []struct {
		id, name, version string
		configuration     any
		dependsOn         []cdktf.ITerraformDependable
	}{
		{"vpc_cni", AddonVPCCNI, versions.VPCCNI, vpcCNIConfiguration{EnableNetworkPolicy: "true"}, nil},
		{"kube_proxy", AddonKubeProxy, versions.KubeProxy, nil, nil},
		{"pod_identity_agent", AddonPodIdentityAgent, versions.PodIdentityAgent, nil, nil},
		{"coredns", AddonCoreDNS, versions.CoreDNS, nil, []cdktf.ITerraformDependable{cfg.NodeGroup}},
		{"ebs_csi_driver", AddonEBSCSIDriver, versions.EBSCSIDriver, nil, []cdktf.ITerraformDependable{cfg.NodeGroup, association}},
	}

	created := make(map[string]eksaddon.EksAddon, len(addons))
	for _, a := range addons {
		config := &eksaddon.EksAddonConfig{
			ClusterName:              cfg.ClusterName,
			AddonName:                jsii.String(a.name),
			AddonVersion:             jsii.String(a.version),
			ResolveConflictsOnCreate: jsii.String("OVERWRITE"),
			ResolveConflictsOnUpdate: jsii.String("OVERWRITE"),
			Preserve:                 jsii.Bool(false),
		}
		if a.configuration != nil {
			values, err := json.Marshal(a.configuration)
			if err != nil {
				panic(fmt.Sprintf("eks: marshalling the configuration values of add-on %q failed: %v", a.name, err))
			}
			config.ConfigurationValues = jsii.String(string(values))
		}
		if len(a.dependsOn) > 0 {
			config.DependsOn = &a.dependsOn
		}
		created[a.name] = eksaddon.NewEksAddon(c, jsii.String(a.id), config)
	}

	return &Addons{
		Construct:     c,
		EBSCSIRoleARN: ebsRole.RoleARN,
		Addons:        created,
	}
}

// ebsCSIKeyPolicy lets the EBS CSI controller use the volume key and nothing
// else. AmazonEBSCSIDriverPolicy has no KMS permissions, and EBS needs them
// to create, attach and copy volumes encrypted with a customer-managed key.
// Grants are limited to those EBS creates for the volumes themselves. The
// ReEncrypt and GenerateDataKey actions are spelled out instead of written as
// wildcards, so the policy cannot pick up key pair actions EBS never calls.
func ebsCSIKeyPolicy(keyARN *string) *iampolicy.Document {
	return &iampolicy.Document{Statements: []iampolicy.Statement{
		{
			Sid:        "GrantsForVolumes",
			Actions:    []string{"kms:CreateGrant"},
			Resources:  []string{*keyARN},
			Conditions: map[string]map[string][]string{"Bool": {"kms:GrantIsForAWSResource": {"true"}}},
		},
		{
			Sid: "UseVolumeKey",
			Actions: []string{
				"kms:Decrypt",
				"kms:Encrypt",
				"kms:ReEncryptFrom",
				"kms:ReEncryptTo",
				"kms:GenerateDataKey",
				"kms:GenerateDataKeyWithoutPlaintext",
				"kms:DescribeKey",
			},
			Resources: []string{*keyARN},
		},
	}}
}
