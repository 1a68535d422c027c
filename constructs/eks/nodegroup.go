package eks

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksnodegroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/launchtemplate"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
	"github.com/honeyhive/platform/constructs/iampolicy"
)

// AMI types of EKS managed node groups that NodeGroupConfig accepts. Only
// Amazon Linux 2023 types are listed because the launch template encrypts
// the root volume by its device name, /dev/xvda, which is the root device of
// these AMIs.
const (
	AMITypeAL2023ARM64 = "AL2023_ARM_64_STANDARD"
	AMITypeAL2023X8664 = "AL2023_x86_64_STANDARD"
)

// Taint effects in the spelling of the EKS API. They correspond to the
// Kubernetes effects NoSchedule, PreferNoSchedule and NoExecute.
const (
	TaintEffectNoSchedule       = "NO_SCHEDULE"
	TaintEffectPreferNoSchedule = "PREFER_NO_SCHEDULE"
	TaintEffectNoExecute        = "NO_EXECUTE"
)

// Defaults of NodeGroupConfig.
const (
	DefaultDiskSizeGiB = 50
	DefaultAMIType     = AMITypeAL2023ARM64
	DefaultPoolLabel   = "platform.honeyhive.ai/pool"
)

// DefaultTaint keeps ordinary workloads off the node group. CoreDNS, the
// Karpenter controller and the EBS CSI controller tolerate it with their
// default settings, and DaemonSets such as aws-node and kube-proxy tolerate
// every taint.
var DefaultTaint = Taint{Key: "CriticalAddonsOnly", Value: "true", Effect: TaintEffectNoSchedule}

const (
	nodeRoleSuffix = "-node"

	// maxNodeGroupNameLength is the EKS limit. It also keeps the name usable
	// as the value of the default pool label, which allows 63 characters.
	maxNodeGroupNameLength = 63

	// minDiskSizeGiB is the size of the AL2023 EKS AMI's root snapshot. EC2
	// cannot create a smaller root volume from it.
	minDiskSizeGiB = 20
	// maxDiskSizeGiB is the largest gp3 volume, 16 TiB.
	maxDiskSizeGiB = 16384
)

var (
	amiArchitectures = map[string]string{
		AMITypeAL2023ARM64: "arm64",
		AMITypeAL2023X8664: "x86_64",
	}
	taintEffects = []string{TaintEffectNoSchedule, TaintEffectPreferNoSchedule, TaintEffectNoExecute}

	// instanceFamilyPattern splits an instance type such as "m7gd.large" into
	// the letters before the generation digit, the generation, and the
	// letters and attributes after it.
	instanceFamilyPattern = regexp.MustCompile(`^([a-z]+)([0-9]+)([a-z-]*)\.[a-z0-9]+$`)

	labelNamePattern   = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$`)
	labelPrefixPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$`)
	labelValuePattern  = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$`)
)

// Taint is a Kubernetes taint that EKS puts on every node of a node group.
type Taint struct {
	Key   string
	Value string
	// Effect is one of the TaintEffect constants.
	Effect string
}

// NodeGroupConfig configures NewNodeGroup.
type NodeGroupConfig struct {
	// ClusterName is the cluster's name, usually the Cluster.Name token so
	// the node group waits for the cluster. Required.
	ClusterName *string

	// Name is the node group name, such as "system". It also names the node
	// role, "<cluster>-<Name>-node". Required.
	Name string

	// Version is the Kubernetes minor version of the nodes, a key of
	// SupportedVersions. Required.
	Version string

	// SubnetIDs are the private subnets the nodes are launched in, one per
	// Availability Zone. Required.
	SubnetIDs []*string

	// InstanceTypes are the EC2 instance types EKS may launch, all of the
	// architecture of AMIType. Required.
	InstanceTypes []string

	// Min, Desired and Max bound the number of nodes:
	// 1 <= Min <= Desired <= Max. Required.
	Min, Desired, Max int

	// DiskSizeGiB is the size of each node's root volume, 20 to 16384.
	// Default: DefaultDiskSizeGiB.
	DiskSizeGiB int

	// VolumeKMSKeyARN is the customer-managed key that encrypts the root
	// volumes. Its key policy must let the EC2 Auto Scaling service-linked
	// role use it, as the key policy of a kms.PurposeData key does.
	// Required.
	VolumeKMSKeyARN *string

	// AMIType is AMITypeAL2023ARM64 or AMITypeAL2023X8664. Default:
	// DefaultAMIType, for Graviton instance types.
	AMIType string

	// Labels are the Kubernetes labels of every node. Default:
	// {DefaultPoolLabel: Name}.
	Labels map[string]string

	// Taint is the taint of every node. Default: DefaultTaint, unless
	// NoTaint is set.
	Taint *Taint

	// NoTaint leaves the nodes untainted, so that any workload may run on
	// them. Taint must then be nil.
	NoTaint bool

	// Partition is the AWS partition of the managed policies. Default:
	// DefaultPartition.
	Partition string
}

func (c NodeGroupConfig) withDefaults() NodeGroupConfig {
	if c.DiskSizeGiB == 0 {
		c.DiskSizeGiB = DefaultDiskSizeGiB
	}
	if c.AMIType == "" {
		c.AMIType = DefaultAMIType
	}
	if c.Labels == nil {
		c.Labels = map[string]string{DefaultPoolLabel: c.Name}
	}
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	if c.Taint == nil && !c.NoTaint {
		taint := DefaultTaint
		c.Taint = &taint
	}
	return c
}

// Validate returns every problem with the configuration, joined, or nil.
func (c NodeGroupConfig) Validate() error {
	var errs []error
	if awsid.Missing(c.ClusterName) {
		errs = append(errs, errors.New("eks: NodeGroupConfig.ClusterName is missing; pass the cluster's Name"))
	}
	errs = append(errs, c.validateName()...)
	if _, ok := SupportedVersions[c.Version]; !ok {
		errs = append(errs, fmt.Errorf("eks: NodeGroupConfig.Version: %q is not a supported Kubernetes version; use one of %s", c.Version, supportedVersionsText()))
	}
	if len(c.SubnetIDs) == 0 {
		errs = append(errs, errors.New("eks: NodeGroupConfig.SubnetIDs is empty; pass the private subnets of every Availability Zone"))
	}
	errs = append(errs, validateIDs("NodeGroupConfig.SubnetIDs", c.SubnetIDs, "subnet-", "subnet")...)
	errs = append(errs, c.validateInstances()...)
	errs = append(errs, c.validateScaling()...)
	if c.DiskSizeGiB < minDiskSizeGiB || c.DiskSizeGiB > maxDiskSizeGiB {
		errs = append(errs, fmt.Errorf("eks: NodeGroupConfig.DiskSizeGiB: %d is out of range; use %d to %d GiB", c.DiskSizeGiB, minDiskSizeGiB, maxDiskSizeGiB))
	}
	if err := awsid.KMSKeyARN("eks: NodeGroupConfig.VolumeKMSKeyARN", c.VolumeKMSKeyARN); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, c.validateLabels()...)
	errs = append(errs, c.validateTaint()...)
	if err := awsid.Partition("eks: NodeGroupConfig.Partition", c.Partition, supportedPartitions...); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (c NodeGroupConfig) validateName() []error {
	switch {
	case c.Name == "":
		return []error{errors.New(`eks: NodeGroupConfig.Name is missing; set a node group name such as "system"`)}
	case len(c.Name) > maxNodeGroupNameLength:
		return []error{fmt.Errorf("eks: NodeGroupConfig.Name: %q is %d characters long; EKS allows at most %d", c.Name, len(c.Name), maxNodeGroupNameLength)}
	case !eksNamePattern.MatchString(c.Name):
		return []error{fmt.Errorf(`eks: NodeGroupConfig.Name: %q is not a valid node group name; use letters, digits, "-" and "_", starting with a letter or digit`, c.Name)}
	}
	// The cluster name is known only when it is not a token.
	if isLiteral(c.ClusterName) {
		if roleName := *c.ClusterName + "-" + c.Name + nodeRoleSuffix; len(roleName) > 64 {
			return []error{fmt.Errorf("eks: NodeGroupConfig.Name: %q makes the node role name %q longer than IAM's 64 characters; use a shorter name", c.Name, roleName)}
		}
	}
	return nil
}

// validateInstances checks the AMI type, and that every instance type whose
// name shows its architecture matches the AMI type.
func (c NodeGroupConfig) validateInstances() []error {
	var errs []error
	amiArchitecture, ok := amiArchitectures[c.AMIType]
	if !ok {
		errs = append(errs, fmt.Errorf("eks: NodeGroupConfig.AMIType: %q is not supported; use %q or %q", c.AMIType, AMITypeAL2023ARM64, AMITypeAL2023X8664))
	}
	if len(c.InstanceTypes) == 0 {
		errs = append(errs, errors.New(`eks: NodeGroupConfig.InstanceTypes is empty; list at least one instance type, such as "m7g.large"`))
	}
	for i, instanceType := range c.InstanceTypes {
		architecture := instanceArchitecture(instanceType)
		if ok && architecture != "" && architecture != amiArchitecture {
			errs = append(errs, fmt.Errorf("eks: NodeGroupConfig.InstanceTypes[%d]: %q is an %s instance type, but AMIType %q runs on %s; use %s instance types or the %s AMI type",
				i, instanceType, architecture, c.AMIType, amiArchitecture, amiArchitecture, architecture))
		}
	}
	return errs
}

// instanceArchitecture returns "arm64" or "x86_64" for an EC2 instance type,
// or "" when the name does not tell. Graviton families have a "g" right after
// the generation digit (m7g, c6gn, r8gd, im4gn), except the first
// generation, a1.
func instanceArchitecture(instanceType string) string {
	m := instanceFamilyPattern.FindStringSubmatch(instanceType)
	if m == nil {
		return ""
	}
	if m[1]+m[2] == "a1" || strings.HasPrefix(m[3], "g") {
		return "arm64"
	}
	return "x86_64"
}

func (c NodeGroupConfig) validateScaling() []error {
	if c.Min >= 1 && c.Min <= c.Desired && c.Desired <= c.Max {
		return nil
	}
	return []error{fmt.Errorf("eks: NodeGroupConfig.Min, Desired, Max: %d, %d, %d are inconsistent; use 1 <= Min <= Desired <= Max", c.Min, c.Desired, c.Max)}
}

// validateLabels checks label keys and values against the Kubernetes syntax
// for label names ("prefix/name") and values.
func (c NodeGroupConfig) validateLabels() []error {
	var errs []error
	for _, key := range slices.Sorted(maps.Keys(c.Labels)) {
		prefix, name, hasPrefix := strings.Cut(key, "/")
		if !hasPrefix {
			prefix, name = "", key
		}
		if !labelNamePattern.MatchString(name) || (hasPrefix && !labelPrefixPattern.MatchString(prefix)) {
			errs = append(errs, fmt.Errorf("eks: NodeGroupConfig.Labels: key %q is not a valid Kubernetes label key; use an optional DNS prefix and a name of at most 63 letters, digits, \"-\", \"_\" and \".\"", key))
		}
		if value := c.Labels[key]; !labelValuePattern.MatchString(value) {
			errs = append(errs, fmt.Errorf("eks: NodeGroupConfig.Labels[%q]: value %q is not a valid Kubernetes label value; use at most 63 letters, digits, \"-\", \"_\" and \".\"", key, value))
		}
	}
	return errs
}

func (c NodeGroupConfig) validateTaint() []error {
	if c.NoTaint && c.Taint != nil {
		return []error{errors.New("eks: NodeGroupConfig.NoTaint is set together with Taint; set one of them")}
	}
	if c.Taint == nil {
		return nil
	}
	var errs []error
	if !labelNamePattern.MatchString(c.Taint.Key) {
		errs = append(errs, fmt.Errorf("eks: NodeGroupConfig.Taint.Key: %q is not a valid taint key; use at most 63 letters, digits, \"-\", \"_\" and \".\"", c.Taint.Key))
	}
	if !labelValuePattern.MatchString(c.Taint.Value) {
		errs = append(errs, fmt.Errorf("eks: NodeGroupConfig.Taint.Value: %q is not a valid taint value; use at most 63 letters, digits, \"-\", \"_\" and \".\"", c.Taint.Value))
	}
	if !slices.Contains(taintEffects, c.Taint.Effect) {
		errs = append(errs, fmt.Errorf("eks: NodeGroupConfig.Taint.Effect: %q is not a taint effect of the EKS API; use one of %s", c.Taint.Effect, strings.Join(taintEffects, ", ")))
	}
	return errs
}

// NodeGroup is an EKS managed node group with its node IAM role and launch
// template.
type NodeGroup struct {
	constructs.Construct

	// NodeRoleARN and NodeRoleName identify the IAM role of the nodes.
	NodeRoleARN  *string
	NodeRoleName *string

	// Resource is the aws_eks_node_group resource. Resources that need
	// running nodes, such as add-ons with Deployments, depend on it.
	Resource eksnodegroup.EksNodeGroup
}

// NewNodeGroup creates a managed node group of on-demand instances, the IAM
// role its nodes run as, and the launch template that hardens them. It
// panics if cfg is invalid after defaults are applied.
//
// The nodes need no access entry from this construct: EKS creates the
// EC2_LINUX access entry of a managed node group's role itself.
//
// The launch template requires IMDSv2 and sets the hop limit to 1, so a
// container cannot reach the instance metadata service through the node and
// borrow the node role's credentials. Pods get AWS credentials from EKS Pod
// Identity instead. It also encrypts the root volume with cfg.VolumeKMSKeyARN.
// It sets no security groups, so EKS attaches the cluster security group.
func NewNodeGroup(scope constructs.Construct, id string, cfg NodeGroupConfig) *NodeGroup {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))
	baseName := *cfg.ClusterName + "-" + cfg.Name

	role, attachments := newNodeRole(c, baseName, cfg.Partition)
	template := newLaunchTemplate(c, baseName, cfg)

	config := &eksnodegroup.EksNodeGroupConfig{
		ClusterName:   cfg.ClusterName,
		NodeGroupName: jsii.String(cfg.Name),
		NodeRoleArn:   role.Arn(),
		Version:       jsii.String(cfg.Version),
		SubnetIds:     &cfg.SubnetIDs,
		AmiType:       jsii.String(cfg.AMIType),
		CapacityType:  jsii.String("ON_DEMAND"),
		InstanceTypes: jsii.Strings(cfg.InstanceTypes...),
		LaunchTemplate: &eksnodegroup.EksNodeGroupLaunchTemplate{
			Id:      template.Id(),
			Version: cdktf.Token_AsString(template.LatestVersion(), nil),
		},
		ScalingConfig: &eksnodegroup.EksNodeGroupScalingConfig{
			MinSize:     jsii.Number(float64(cfg.Min)),
			DesiredSize: jsii.Number(float64(cfg.Desired)),
			MaxSize:     jsii.Number(float64(cfg.Max)),
		},
		UpdateConfig: &eksnodegroup.EksNodeGroupUpdateConfig{MaxUnavailable: jsii.Number(1)},
		Labels:       toStringPointers(cfg.Labels),
		Tags:         &map[string]*string{"Name": jsii.String(baseName)},
		Lifecycle: &cdktf.TerraformResourceLifecycle{
			// Autoscalers change the desired size; a deploy must not reset it.
			IgnoreChanges: jsii.Strings("scaling_config[0].desired_size"),
		},
		// Nodes cannot join without these policies, and deleting them before
		// the nodes would leave draining nodes without permissions.
		DependsOn: &attachments,
	}
	if cfg.Taint != nil {
		config.Taint = []eksnodegroup.EksNodeGroupTaint{{
			Key:    jsii.String(cfg.Taint.Key),
			Value:  jsii.String(cfg.Taint.Value),
			Effect: jsii.String(cfg.Taint.Effect),
		}}
	}
	nodeGroup := eksnodegroup.NewEksNodeGroup(c, jsii.String("node_group"), config)

	return &NodeGroup{
		Construct:    c,
		NodeRoleARN:  role.Arn(),
		NodeRoleName: role.Name(),
		Resource:     nodeGroup,
	}
}

// nodeManagedPolicies are the AWS-managed policies of the node role, by the
// suffix of their attachment's construct ID.
//
// AmazonEKS_CNI_Policy stays on the node role although Pod Identity could
// give it to the aws-node service account alone. aws-node must assign pod IP
// addresses before any pod can run, the Pod Identity Agent included, so it
// cannot wait for Pod Identity credentials.
var nodeManagedPolicies = []struct{ suffix, name string }{
	{"worker_policy", "AmazonEKSWorkerNodePolicy"},
	{"ecr_read_only", "AmazonEC2ContainerRegistryReadOnly"},
	{"cni_policy", "AmazonEKS_CNI_Policy"},
}

// newNodeRole creates the role EC2 instances of the node group run as and
// returns it with its policy attachments.
func newNodeRole(scope constructs.Construct, baseName, partition string) (iamrole.IamRole, []cdktf.ITerraformDependable) {
	name := baseName + nodeRoleSuffix
	trust := iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:       "EC2Instances",
		Principal: map[string][]string{"Service": {"ec2.amazonaws.com"}},
		Actions:   []string{"sts:AssumeRole"},
	}}}
	role := iamrole.NewIamRole(scope, jsii.String("node_role"), &iamrole.IamRoleConfig{
		Name:             jsii.String(name),
		Description:      jsii.String("Nodes of EKS managed node group " + baseName),
		AssumeRolePolicy: jsii.String(trust.JSON()),
		Tags:             &map[string]*string{"Name": jsii.String(name)},
	})

	var attachments []cdktf.ITerraformDependable
	for _, policy := range nodeManagedPolicies {
		attachment := iamrolepolicyattachment.NewIamRolePolicyAttachment(scope, jsii.String("node_role_"+policy.suffix), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role:      role.Name(),
			PolicyArn: jsii.String(fmt.Sprintf("arn:%s:iam::aws:policy/%s", partition, policy.name)),
		})
		attachments = append(attachments, attachment)
	}
	return role, attachments
}

// newLaunchTemplate creates the launch template of the node group: IMDSv2
// with a hop limit of 1, and an encrypted gp3 root volume.
func newLaunchTemplate(scope constructs.Construct, name string, cfg NodeGroupConfig) launchtemplate.LaunchTemplate {
	nameTag := &map[string]*string{"Name": jsii.String(name)}
	return launchtemplate.NewLaunchTemplate(scope, jsii.String("launch_template"), &launchtemplate.LaunchTemplateConfig{
		Name:                 jsii.String(name),
		Description:          jsii.String("EKS managed node group " + name),
		UpdateDefaultVersion: jsii.Bool(true),
		MetadataOptions: &launchtemplate.LaunchTemplateMetadataOptions{
			HttpEndpoint:            jsii.String("enabled"),
			HttpTokens:              jsii.String("required"),
			HttpPutResponseHopLimit: jsii.Number(1),
		},
		BlockDeviceMappings: []launchtemplate.LaunchTemplateBlockDeviceMappings{{
			DeviceName: jsii.String("/dev/xvda"),
			Ebs: &launchtemplate.LaunchTemplateBlockDeviceMappingsEbs{
				VolumeSize: jsii.Number(float64(cfg.DiskSizeGiB)),
				VolumeType: jsii.String("gp3"),
				// The provider takes these two booleans as strings.
				Encrypted:           jsii.String("true"),
				DeleteOnTermination: jsii.String("true"),
				KmsKeyId:            cfg.VolumeKMSKeyARN,
			},
		}},
		TagSpecifications: []launchtemplate.LaunchTemplateTagSpecifications{
			{ResourceType: jsii.String("instance"), Tags: nameTag},
			{ResourceType: jsii.String("volume"), Tags: nameTag},
		},
		Tags: nameTag,
	})
}

func toStringPointers(m map[string]string) *map[string]*string {
	result := make(map[string]*string, len(m))
	for k, v := range m {
		result[k] = jsii.String(v)
	}
	return &result
}
