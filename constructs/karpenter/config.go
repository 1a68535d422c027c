package karpenter

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/honeyhive/platform/constructs/awsid"
)

// Defaults for Config.
const (
	// DefaultChartVersion is the version of both the karpenter and the
	// karpenter-crd charts in oci://public.ecr.aws/karpenter. 1.6.7 is the
	// release named by the CloudFormation reference of the Karpenter v1.6
	// documentation (website/content/en/v1.6/reference/cloudformation.md in
	// aws/karpenter-provider-aws), which the controller policy in
	// controller_iam.go follows. The v1.6 compatibility matrix lists
	// Kubernetes 1.33 as supported since Karpenter 1.5.
	//
	// NOTE: newer Karpenter minors exist. Moving to one means rereading that
	// minor's CloudFormation reference, because the controller policy changes
	// between minors.
	DefaultChartVersion = "1.6.7"

	// DefaultAMIAlias pins the EKS-optimized Amazon Linux 2023 release that
	// nodes boot. With a pinned alias (not @latest), new AMIs reach nodes only
	// through a reviewed change. Changing it makes Karpenter replace every
	// node through drift, within the disruption budgets.
	//
	// NOTE: v20251007 is taken from public deployment configurations that
	// select the AMI amazon-eks-node-al2023-arm64-standard-1.33-v20251007. It
	// was not checked against the awslabs/amazon-eks-ami release list, which
	// the build machine cannot reach.
	DefaultAMIAlias = "al2023@v20251007"

	// DefaultArchitecture is Graviton (arm64), the architecture of
	// DefaultInstanceFamilies.
	DefaultArchitecture = "arm64"

	// DefaultRootVolumeSizeGiB is the root volume size in GiB. Karpenter's
	// own default for AL2023 is 20 GiB, and the extra space holds container
	// images.
	DefaultRootVolumeSizeGiB = 50

	// DefaultPartition is the commercial AWS partition.
	DefaultPartition = "aws"
)

// DefaultInstanceFamilies are current-generation Graviton families for
// general purpose, compute and memory-heavy pods. Each comes in several
// sizes, so the spot pool has other instance types to fall back on when one
// is interrupted.
var DefaultInstanceFamilies = []string{"m7g", "c7g", "r7g"}

// nameSuffixes are appended to Config.Name to form IAM and SQS names. With
// the EventBridge rule suffixes, they bound the length of Name.
var nameSuffixes = []string{
	controllerRoleSuffix,
	nodeRoleSuffix,
	queueSuffix,
}

const (
	controllerRoleSuffix = "-karpenter-controller"
	nodeRoleSuffix       = "-karpenter-node"
	queueSuffix          = "-karpenter"
)

// maxNameLength keeps every name derived from Config.Name within its
// service's limit: 64 characters for IAM roles and EventBridge rules.
var maxNameLength = func() int {
	longest := 0
	for _, s := range nameSuffixes {
		longest = max(longest, len(s))
	}
	for _, r := range interruptionRules {
		longest = max(longest, len(queueSuffix+"-"+r.nameSuffix))
	}
	return 64 - longest
}()

var (
	// namePrefix matches lowercase letters, digits and single hyphens.
	namePrefix = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

	// eksClusterName matches the names EKS accepts for clusters.
	eksClusterName = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)

	// chartVersion accepts exact 1.x.y versions only: the node pools use
	// the karpenter.sh/v1 API, which the 1.x charts serve.
	chartVersion = regexp.MustCompile(`^1\.[0-9]+\.[0-9]+$`)

	// al2023Alias accepts a pinned AL2023 release such as al2023@v20251007.
	// Other AMI families are rejected because the controller may read only
	// the AL2023 SSM parameters.
	al2023Alias = regexp.MustCompile(`^al2023@v[0-9]{8}$`)

	// instanceFamily matches an EC2 instance family such as "m7g" or
	// "c7gn", without the size.
	instanceFamily = regexp.MustCompile(`^[a-z]+[0-9][a-z0-9-]*$`)

	// gravitonFamily matches families whose attribute letters, after the
	// generation digit, contain "g": the EC2 naming convention for Graviton
	// (m7g, c7gn, r6gd, x2gd, im4gn). The first Graviton family, a1, is the
	// exception and is handled by familyArchitecture.
	gravitonFamily = regexp.MustCompile(`^[a-z]+[0-9][a-z]*g[a-z]*(-[a-z]+)?$`)

	// zoneLetter is what follows the region name in a zone name.
	zoneLetter = regexp.MustCompile(`^[a-z]$`)
)

// partitionDNSSuffixes maps each AWS partition to the domain of its service
// principals and endpoints.
var partitionDNSSuffixes = map[string]string{
	"aws":        "amazonaws.com",
	"aws-us-gov": "amazonaws.com",
	"aws-cn":     "amazonaws.com.cn",
}

// architectures are the values of kubernetes.io/arch that Karpenter
// launches on AWS.
var architectures = []string{"arm64", "amd64"}

// Config configures New.
type Config struct {
	// ClusterName is the literal cluster name. IAM conditions, the
	// discovery tags and the chart settings use it. Required.
	ClusterName string

	// Cluster is the cluster name as a token of the cluster resource, so that
	// resources that name the cluster wait for it. Required.
	Cluster *string

	// ClusterARN is the cluster's ARN (token). Required.
	ClusterARN *string

	// ClusterEndpoint is the API server URL (token), passed to the chart so
	// the controller does not have to discover it. Required.
	ClusterEndpoint *string

	// ClusterSecurityGroupID is the security group EKS created for the
	// cluster (token). New tags it karpenter.sh/discovery=<ClusterName> so
	// the node class selects it for the nodes Karpenter launches. Required.
	ClusterSecurityGroupID *string

	// AccountID is the AWS account of the cluster. Required.
	AccountID string

	// Region is the AWS region of the cluster, for example "us-west-2".
	// Required.
	Region string

	// Partition is the AWS partition of Region: "aws", "aws-us-gov" or
	// "aws-cn". Default: DefaultPartition.
	Partition string

	// Name prefixes the IAM role, SQS queue and EventBridge rule names, for
	// example "prod-usw2". Lowercase letters, digits and single hyphens.
	// Changing it renames the node role, which the existing EC2NodeClass
	// rejects because its role is immutable. Required.
	Name string

	// VolumeKMSKeyARN is the customer-managed key that encrypts the root
	// volumes of the nodes Karpenter launches. The controller gets
	// kms:CreateGrant and the data key actions on it through EC2 only, so
	// the key policy must let IAM policies of the account use the key
	// through ec2.<region>.amazonaws.com. Required. EC2 may launch spot nodes
	// through the AWSServiceRoleForEC2Spot service-linked role, so the key
	// policy must admit that role too (the kms package's data key does).
	VolumeKMSKeyARN *string

	// ChartVersion is the exact version of the karpenter and karpenter-crd
	// charts, 1.x.y. Default: DefaultChartVersion.
	ChartVersion string

	// CPULimit is the total vCPU of all nodes of each node pool. Karpenter
	// stops launching nodes for a pool at this limit. Required, above zero.
	CPULimit int

	// MemoryLimitGiB is the total memory of all nodes of each node pool, in
	// GiB. Required, above zero.
	MemoryLimitGiB int

	// InstanceFamilies are the EC2 instance families the node pools may
	// launch, without sizes ("m7g", not "m7g.large"). They must match
	// Architecture. Default: DefaultInstanceFamilies.
	InstanceFamilies []string

	// Architecture is the CPU architecture of the nodes, "arm64" or "amd64".
	// Default: DefaultArchitecture.
	Architecture string

	// AvailabilityZones restricts the node pools to these zones of Region.
	// Empty allows every zone that has a discovered subnet. Karpenter
	// spreads nodes over zones only as far as pods ask for it with topology
	// spread constraints or anti-affinity. Optional.
	AvailabilityZones []string

	// AMIAlias pins the AMI of the nodes, al2023@vYYYYMMDD. Default:
	// DefaultAMIAlias.
	AMIAlias string

	// RootVolumeSizeGiB is the size of each node's encrypted gp3 root
	// volume. Default: DefaultRootVolumeSizeGiB.
	RootVolumeSizeGiB int

	// HelmProvider is the Helm provider of the cluster. Required.
	HelmProvider cdktf.TerraformProvider

	// DependsOn are resources the Helm releases wait for, such as the system
	// node group the controller runs on and the Pod Identity agent add-on
	// that gives it credentials. Optional.
	DependsOn []cdktf.ITerraformDependable
}

func (c Config) withDefaults() Config {
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	if c.ChartVersion == "" {
		c.ChartVersion = DefaultChartVersion
	}
	if len(c.InstanceFamilies) == 0 {
		c.InstanceFamilies = slices.Clone(DefaultInstanceFamilies)
	}
	if c.Architecture == "" {
		c.Architecture = DefaultArchitecture
	}
	if c.AMIAlias == "" {
		c.AMIAlias = DefaultAMIAlias
	}
	if c.RootVolumeSizeGiB == 0 {
		c.RootVolumeSizeGiB = DefaultRootVolumeSizeGiB
	}
	return c
}

// Validate returns every problem with c, joined, or nil. Call it after
// defaults are applied: fields left at their zero value are reported.
func (c Config) Validate() error {
	var errs []error
	errs = append(errs, c.validateCluster()...)
	errs = append(errs, c.validateAccount()...)
	errs = append(errs, c.validateName()...)
	if c.VolumeKMSKeyARN == nil {
		errs = append(errs, errors.New("karpenter: Config.VolumeKMSKeyARN is missing; set it to the ARN of the customer-managed key for EBS volumes"))
	}
	if !chartVersion.MatchString(c.ChartVersion) {
		errs = append(errs, fmt.Errorf("karpenter: Config.ChartVersion: %q is not an exact 1.x.y version; pin one such as %q", c.ChartVersion, DefaultChartVersion))
	}
	errs = append(errs, c.validateCapacity()...)
	if !al2023Alias.MatchString(c.AMIAlias) {
		errs = append(errs, fmt.Errorf("karpenter: Config.AMIAlias: %q is not a pinned AL2023 alias; use al2023@vYYYYMMDD, for example %q", c.AMIAlias, DefaultAMIAlias))
	}
	if c.RootVolumeSizeGiB < 20 || c.RootVolumeSizeGiB > 16384 {
		errs = append(errs, fmt.Errorf("karpenter: Config.RootVolumeSizeGiB: %d is out of range; use 20 (Karpenter's AL2023 default) to 16384 GiB", c.RootVolumeSizeGiB))
	}
	if c.HelmProvider == nil {
		errs = append(errs, errors.New("karpenter: Config.HelmProvider is missing; pass the Helm provider of the cluster"))
	}
	return errors.Join(errs...)
}

func (c Config) validateCluster() []error {
	var errs []error
	if !eksClusterName.MatchString(c.ClusterName) {
		errs = append(errs, fmt.Errorf("karpenter: Config.ClusterName: %q is not an EKS cluster name; use 1 to 100 letters, digits, hyphens and underscores", c.ClusterName))
	}
	tokens := []struct {
		field string
		value *string
	}{
		{"Cluster", c.Cluster},
		{"ClusterARN", c.ClusterARN},
		{"ClusterEndpoint", c.ClusterEndpoint},
		{"ClusterSecurityGroupID", c.ClusterSecurityGroupID},
	}
	for _, t := range tokens {
		if t.value == nil {
			errs = append(errs, fmt.Errorf("karpenter: Config.%s is missing; pass the cluster resource's attribute", t.field))
		}
	}
	return errs
}

func (c Config) validateAccount() []error {
	var errs []error
	if err := awsid.AccountID("karpenter: Config.AccountID", c.AccountID); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Region("karpenter: Config.Region", c.Region); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Partition("karpenter: Config.Partition", c.Partition, "aws", "aws-us-gov", "aws-cn"); err != nil {
		errs = append(errs, err)
	}
	return errs
}

func (c Config) validateName() []error {
	switch {
	case c.Name == "":
		return []error{fmt.Errorf("karpenter: Config.Name is empty; set it to the environment and region prefix, for example %q", "prod-usw2")}
	case !namePrefix.MatchString(c.Name):
		return []error{fmt.Errorf("karpenter: Config.Name: %q is invalid; use lowercase letters, digits and single hyphens, for example %q", c.Name, "prod-usw2")}
	case len(c.Name) > maxNameLength:
		return []error{fmt.Errorf("karpenter: Config.Name: %q is %d characters long; use at most %d so the derived IAM role and EventBridge rule names fit in 64 characters", c.Name, len(c.Name), maxNameLength)}
	}
	return nil
}

func (c Config) validateCapacity() []error {
	var errs []error
	if c.CPULimit <= 0 {
		errs = append(errs, fmt.Errorf("karpenter: Config.CPULimit: %d must be above zero; it caps the vCPU each node pool may launch", c.CPULimit))
	}
	if c.MemoryLimitGiB <= 0 {
		errs = append(errs, fmt.Errorf("karpenter: Config.MemoryLimitGiB: %d must be above zero; it caps the memory each node pool may launch", c.MemoryLimitGiB))
	}

	archValid := slices.Contains(architectures, c.Architecture)
	if !archValid {
		errs = append(errs, fmt.Errorf("karpenter: Config.Architecture: %q is not supported; use %q or %q", c.Architecture, "arm64", "amd64"))
	}
	for i, f := range c.InstanceFamilies {
		switch {
		case !instanceFamily.MatchString(f):
			errs = append(errs, fmt.Errorf("karpenter: Config.InstanceFamilies[%d]: %q is not an EC2 instance family; use one such as %q, without the size", i, f, "m7g"))
		case archValid && familyArchitecture(f) != c.Architecture:
			errs = append(errs, fmt.Errorf("karpenter: Config.InstanceFamilies[%d]: %q is an %s family but Architecture is %q; list %s families only or change Architecture", i, f, familyArchitecture(f), c.Architecture, c.Architecture))
		case slices.Index(c.InstanceFamilies, f) < i:
			errs = append(errs, fmt.Errorf("karpenter: Config.InstanceFamilies[%d]: %q is listed twice; remove the duplicate", i, f))
		}
	}

	for i, zone := range c.AvailabilityZones {
		if !strings.HasPrefix(zone, c.Region) || !zoneLetter.MatchString(strings.TrimPrefix(zone, c.Region)) {
			errs = append(errs, fmt.Errorf("karpenter: Config.AvailabilityZones[%d]: %q is not a zone of region %q; use a name such as %q", i, zone, c.Region, c.Region+"a"))
		}
	}
	return errs
}

// familyArchitecture returns the kubernetes.io/arch of an instance family
// by the EC2 naming convention.
func familyArchitecture(family string) string {
	if family == "a1" || gravitonFamily.MatchString(family) {
		return "arm64"
	}
	return "amd64"
}

// dnsSuffix returns the domain of the service principals of c.Partition.
func (c Config) dnsSuffix() string {
	return partitionDNSSuffixes[c.Partition]
}
