package environments

import (
	"fmt"
	"net/netip"
	"strings"
)

// Environment is one deployment of the platform: a set of regions in one
// target account, deployed from one orchestration account.
type Environment struct {
	// Name appears in every stack name (`<name>-<region-code>-<layer>`) and in
	// the state key, so renaming an environment moves its state.
	Name string

	// Pattern selects which layers and components the environment runs.
	Pattern Pattern

	// Tier is the environment's level of protection. It gates settings such
	// as a public cluster endpoint (test only) and high availability.
	Tier Tier

	// CostCentre is written to every resource as the cost-centre tag.
	CostCentre string

	Accounts Accounts

	// Regions lists each region once, with its role and VPC range. Exactly one
	// region is primary.
	Regions []Region

	// Domain is the environment's public DNS domain, for example
	// "prod.honeyhive.ai". Each region's private hosted zone is a subdomain
	// of it (see Environment.PrivateZoneName).
	Domain string

	Kubernetes Kubernetes
	Sizes      Sizes
	Retention  Retention
	Components Components
	Monitoring Monitoring
	GitOps     GitOps
	Data       Data

	// Tenants get a namespace each, with quotas, limits, network policies
	// and RBAC, in every region.
	Tenants []Tenant

	// TwingateNetwork is the Twingate tenant name (the "acme" of
	// acme.twingate.com) the connectors join. Required when
	// Components.Twingate is on.
	TwingateNetwork string

	// Customer describes the customer whose account Accounts.Target is.
	// Required exactly when the pattern runs in a customer's account.
	Customer *Customer

	// ControlPlane locates the data plane's control plane. Required
	// for the data plane, federated BYOC and hybrid SaaS patterns.
	ControlPlane ControlPlane

	// PrivateService is the Service this environment offers its hybrid SaaS
	// counterpart over PrivateLink: the API for a control plane that hybrid
	// data planes link to, the query service for a hybrid data plane.
	PrivateService *PrivateService
}

// Pattern is a deployment pattern: which parts of the platform run where.
type Pattern string

// Deployment patterns.
const (
	// PatternFullStack runs every layer in HoneyHive's accounts.
	PatternFullStack Pattern = "full-stack"

	// PatternControlPlane runs the substrate, hosting, APIs and dashboard, and
	// no data-plane workloads.
	PatternControlPlane Pattern = "control-plane"

	// PatternDataPlane runs the substrate, hosting, ingestion and data stores,
	// connected to a remote control plane.
	PatternDataPlane Pattern = "data-plane"

	// PatternFederatedBYOC runs the data plane in a customer's account.
	PatternFederatedBYOC Pattern = "federated-byoc"

	// PatternHybridSaaS runs the control plane in HoneyHive's account and the
	// data plane in the customer's.
	PatternHybridSaaS Pattern = "hybrid-saas"
)

var patterns = []Pattern{PatternFullStack, PatternControlPlane, PatternDataPlane, PatternFederatedBYOC, PatternHybridSaaS}

// Tier is an environment's level of protection, from test to prod.
type Tier string

// Tiers, from least to most protected.
const (
	TierTest  Tier = "test"
	TierStage Tier = "stage"
	TierProd  Tier = "prod"
)

var tiers = []Tier{TierTest, TierStage, TierProd}

// Kubernetes configures each region's EKS cluster.
type Kubernetes struct {
	// Version is the Kubernetes minor version, for example "1.33". Only
	// versions with pinned add-on versions are accepted.
	Version string

	// PublicAccessCIDRs opens the cluster's public API endpoint to these
	// ranges. Empty keeps the endpoint private, reached through Twingate;
	// only test-tier environments may set it.
	PublicAccessCIDRs []string
}

// Accounts names the two AWS accounts an environment involves.
type Accounts struct {
	// Orchestration is the account that runs CI and holds Terraform state.
	Orchestration Orchestration

	// Target is the account the environment's stacks deploy into.
	Target Account
}

// Account is an AWS account and the IAM role that deployments assume in it.
type Account struct {
	// ID is the 12-digit AWS account ID.
	ID string

	// DeployRoleName is the IAM role Terraform assumes in the account.
	// Default: DefaultDeployRoleName.
	DeployRoleName string

	// AdminRoleName is the IAM role of the human administrators, who get
	// cluster-admin access to the account's EKS clusters.
	// Default: DefaultAdminRoleName.
	AdminRoleName string

	// ExternalID is the value the deploy role's trust policy requires, which
	// the provider passes when it assumes the role. A customer's account
	// needs one: it keeps anyone else who learns the role's ARN from using
	// HoneyHive's pipeline to reach the account.
	ExternalID string
}

// DefaultDeployRoleName is the role Terraform assumes when an account does not
// name one.
const DefaultDeployRoleName = "platform-deploy"

// DefaultAdminRoleName is the administrators' role when an account does not
// name one.
const DefaultAdminRoleName = "platform-admin"

// AdminRoleARN returns the ARN of the account's administrator role.
func (a Account) AdminRoleARN() string {
	return fmt.Sprintf("arn:aws:iam::%s:role/%s", a.ID, a.AdminRoleName)
}

// DeployRoleARN returns the ARN of the account's deploy role.
func (a Account) DeployRoleARN() string {
	return fmt.Sprintf("arn:aws:iam::%s:role/%s", a.ID, a.DeployRoleName)
}

// Orchestration is the account that holds Terraform state for the
// environments that name it, one state bucket per region.
type Orchestration struct {
	// Name prefixes the account-wide stacks, for example
	// "orchestration-bootstrap". Environments that share the orchestration
	// account must use the same name.
	Name string

	Account

	// HomeRegion holds the state of the bootstrap stack itself.
	// Default: us-west-2.
	HomeRegion string

	State StateConfig

	// GitHub is the repository whose workflows deploy the platform; its
	// OIDC tokens are the only way CI gets AWS credentials.
	GitHub GitHub
}

// GitHub names a GitHub repository.
type GitHub struct {
	Owner      string
	Repository string
}

// StateConfig sets where each stack keeps its Terraform state.
type StateConfig struct {
	// BucketPrefix starts the name of every state bucket; the full name is
	// `<prefix>-<orchestration account ID>-<region>`, which S3 requires to be
	// globally unique. Default: "honeyhive-tfstate".
	BucketPrefix string

	// LockTable is the DynamoDB table, in each state region, that serialises
	// Terraform runs. Default: "honeyhive-tfstate-lock".
	LockTable string

	// KeyLayout is the object key of each stack's state, with placeholders
	// {env}, {region}, {region_code}, {layer} and {stack}. The default mirrors
	// the Terragrunt path layout of the original platform, so existing state
	// is found where it already is. Default: DefaultStateKeyLayout.
	KeyLayout string
}

// DefaultStateKeyLayout is the state key layout the Terragrunt original used.
const DefaultStateKeyLayout = "{env}/{region}/{layer}/terraform.tfstate"

// BucketName returns the name of the state bucket in region.
func (o Orchestration) BucketName(region string) string {
	return fmt.Sprintf("%s-%s-%s", o.State.BucketPrefix, o.ID, region)
}

// StateKey returns the object key of a stack's state.
func (s StateConfig) StateKey(env, region, layer, stack string) string {
	code := region
	if info, ok := LookupRegion(region); ok {
		code = info.Code
	}
	return strings.NewReplacer(
		"{env}", env,
		"{region}", region,
		"{region_code}", code,
		"{layer}", layer,
		"{stack}", stack,
	).Replace(s.KeyLayout)
}

// Region is one region of an environment.
type Region struct {
	// Name is the AWS region name, for example "us-west-2".
	Name string

	Role RegionRole

	// VPCCIDR is the region's VPC range, between /16 and /20, from the
	// company-wide plan: no two regions of any environment may overlap, so
	// VPCs can be peered or routed later without renumbering. With
	// ExistingVPC it is that VPC's primary range, whatever its size.
	VPCCIDR string

	// ExistingVPC uses a customer's VPC instead of creating one; only in a
	// customer's account.
	ExistingVPC *ExistingVPC

	// Keys names customer-owned KMS keys of this region; only in a
	// customer's account. Every purpose left empty gets a key created in the
	// account.
	Keys KeyARNs
}

// RegionRole is the part a region plays in an environment.
type RegionRole string

// Region roles.
const (
	// RolePrimary serves traffic and holds the primary copy of data.
	RolePrimary RegionRole = "primary"

	// RoleDR receives replicated data and can take over from the primary.
	RoleDR RegionRole = "dr"

	// RoleExpansion serves a market of its own, such as the EU.
	RoleExpansion RegionRole = "expansion"
)

// Sizes holds the capacity settings that differ between environments.
type Sizes struct {
	// AvailabilityZones is how many AZs each VPC spans: 2 or 3. Default: 3.
	AvailabilityZones int

	NATGateways NATMode

	// SystemNodes sizes the managed node group that runs system pods.
	SystemNodes NodeGroupSize

	// DatabaseInstanceClass is the RDS/Aurora instance class, for example
	// "db.r6g.large".
	DatabaseInstanceClass string

	// Karpenter bounds the capacity Karpenter may launch in each region.
	Karpenter KarpenterSize
}

// KarpenterSize bounds each Karpenter node pool of a region.
type KarpenterSize struct {
	// CPULimit is the total vCPU of all nodes of one pool.
	CPULimit int

	// MemoryLimitGiB is the total memory of all nodes of one pool, in GiB.
	MemoryLimitGiB int

	// InstanceFamilies are the EC2 instance families Karpenter may choose
	// from, for example "m7g".
	InstanceFamilies []string
}

// NATMode selects how many NAT gateways a VPC has.
type NATMode string

// NAT gateway modes.
const (
	// NATPerAZ puts a NAT gateway in every AZ, so losing one AZ does not cut
	// the others off from the internet.
	NATPerAZ NATMode = "per-az"

	// NATSingle shares one NAT gateway between all AZs, which is cheaper and
	// enough for test environments.
	NATSingle NATMode = "single"
)

// NodeGroupSize sizes a managed node group.
type NodeGroupSize struct {
	InstanceTypes []string
	Min           int
	Desired       int
	Max           int
}

// Retention holds how long each kind of log or backup is kept, in days.
// CloudWatch Logs accepts only the periods in CloudWatchRetentionDays.
type Retention struct {
	FlowLogDays        int
	ClusterLogDays     int
	ApplicationLogDays int

	// DatabaseBackupDays is the point-in-time recovery window, 1 to 35.
	DatabaseBackupDays int
}

// CloudWatchRetentionDays lists the retention periods CloudWatch Logs accepts
// (PutRetentionPolicy, retentionInDays).
var CloudWatchRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// Components turns optional parts of the platform on and off.
type Components struct {
	// Twingate runs the Twingate connectors that give engineers private
	// access to the VPC.
	Twingate bool

	// Monitoring runs Prometheus, Grafana, Fluent Bit and OpenTelemetry.
	Monitoring bool

	// GitOps runs Argo CD, which delivers the APIs and dashboard.
	GitOps bool

	// DataStores runs the databases and data buckets.
	DataStores bool
}

// Info returns the supported-region details of r. It reports false for a
// region validation would reject, which includes a region code in Name.
func (r Region) Info() (RegionInfo, bool) {
	info, ok := supportedRegions[r.Name]
	return info, ok
}

// Code returns the region's short code, for example "usw2", or the region name
// itself when the region is not supported.
func (r Region) Code() string {
	if info, ok := r.Info(); ok {
		return info.Code
	}
	return r.Name
}

// Prefix returns the parsed VPC range. It panics on a range validation would
// reject, so call it only on validated environments.
func (r Region) Prefix() netip.Prefix {
	return netip.MustParsePrefix(r.VPCCIDR)
}

// Primary returns the environment's primary region.
func (e Environment) Primary() Region {
	for _, r := range e.Regions {
		if r.Role == RolePrimary {
			return r
		}
	}
	return Region{}
}

// DRRegion returns the environment's disaster-recovery region, if it has
// one.
func (e Environment) DRRegion() (Region, bool) {
	for _, r := range e.Regions {
		if r.Role == RoleDR {
			return r, true
		}
	}
	return Region{}, false
}

// Region returns the region with the given name or code.
func (e Environment) Region(nameOrCode string) (Region, bool) {
	for _, r := range e.Regions {
		if r.Name == nameOrCode || r.Code() == nameOrCode {
			return r, true
		}
	}
	return Region{}, false
}

// PrivateZoneName returns the name of the private hosted zone of region, for
// example "usw2.internal.prod.honeyhive.ai".
func (e Environment) PrivateZoneName(region Region) string {
	return region.Code() + ".internal." + e.Domain
}

// StackName returns the name of the environment's stack for region and layer.
func (e Environment) StackName(region Region, layer string) string {
	return fmt.Sprintf("%s-%s-%s", e.Name, region.Code(), layer)
}

// WithDefaults returns a copy of e with every unset field that has a default
// filled in.
func (e Environment) WithDefaults() Environment {
	if e.Accounts.Target.DeployRoleName == "" {
		e.Accounts.Target.DeployRoleName = DefaultDeployRoleName
	}
	if e.Accounts.Target.AdminRoleName == "" {
		e.Accounts.Target.AdminRoleName = DefaultAdminRoleName
	}

	o := &e.Accounts.Orchestration
	if o.DeployRoleName == "" {
		o.DeployRoleName = DefaultDeployRoleName
	}
	if o.HomeRegion == "" {
		o.HomeRegion = "us-west-2"
	}
	if o.State.BucketPrefix == "" {
		o.State.BucketPrefix = "honeyhive-tfstate"
	}
	if o.State.LockTable == "" {
		o.State.LockTable = "honeyhive-tfstate-lock"
	}
	if o.State.KeyLayout == "" {
		o.State.KeyLayout = DefaultStateKeyLayout
	}

	if e.GitOps.Revision == "" {
		e.GitOps.Revision = "main"
	}
	if e.GitOps.PathLayout == "" {
		e.GitOps.PathLayout = DefaultGitOpsPathLayout
	}

	if e.Customer != nil && e.Customer.Operator.RoleName == "" {
		customer := *e.Customer
		customer.Operator.RoleName = DefaultOperatorRoleName
		e.Customer = &customer
	}
	if e.PrivateService != nil {
		service := *e.PrivateService
		if service.Port == 0 {
			service.Port = PrivateLinkPort
		}
		if service.TargetPort == 0 {
			service.TargetPort = service.Port
		}
		e.PrivateService = &service
	}

	if e.Sizes.AvailabilityZones == 0 {
		e.Sizes.AvailabilityZones = 3
	}
	if e.Sizes.NATGateways == "" {
		e.Sizes.NATGateways = NATPerAZ
	}
	return e
}
