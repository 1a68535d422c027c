package environments

// The deployment patterns decide three things about an environment: which
// plane's workloads it runs, whose AWS account it runs in, and whether it has
// a public entry. Everything else (the layers, the components, the checks)
// follows from these.

// RunsControlPlane reports whether the pattern runs the control plane: the
// API and the dashboard.
func (p Pattern) RunsControlPlane() bool {
	return p == PatternFullStack || p == PatternControlPlane
}

// RunsDataPlane reports whether the pattern runs the data plane: ingestion,
// compute workloads and the data stores.
func (p Pattern) RunsDataPlane() bool {
	return p != PatternControlPlane
}

// InCustomerAccount reports whether the pattern deploys into an AWS account
// the customer owns, which HoneyHive enters only through roles the customer
// grants.
func (p Pattern) InCustomerAccount() bool {
	return p == PatternFederatedBYOC || p == PatternHybridSaaS
}

// HasPublicEntry reports whether the pattern's clusters get a public load
// balancer entry with a certificate in the environment's public zone. A data
// plane in a customer's account has none: nothing in it is reachable from
// the internet.
func (p Pattern) HasPublicEntry() bool {
	return !p.InCustomerAccount()
}

// NeedsControlPlaneEndpoint reports whether the pattern's data plane calls a
// control plane that runs elsewhere, over the internet by its URL.
func (p Pattern) NeedsControlPlaneEndpoint() bool {
	return p == PatternDataPlane || p == PatternFederatedBYOC
}

// patternNeeds lists the components each deployment pattern cannot run
// without: GitOps delivers the workloads of either plane, and the data plane
// keeps its data in the data stores.
var patternNeeds = map[Pattern][]string{
	PatternFullStack:     {"Monitoring", "GitOps", "DataStores"},
	PatternControlPlane:  {"GitOps"},
	PatternDataPlane:     {"GitOps", "DataStores"},
	PatternFederatedBYOC: {"GitOps", "DataStores"},
	PatternHybridSaaS:    {"GitOps", "DataStores"},
}

// patternExcludes lists the components a pattern may not run, with the
// reason.
var patternExcludes = map[Pattern]map[string]string{
	PatternControlPlane: {"DataStores": "a control plane keeps no customer data; the data stores belong to the data plane"},
}

// Customer describes the customer's side of a deployment whose data plane
// runs in the customer's AWS account (the federated BYOC and hybrid SaaS
// patterns). Accounts.Target is then the customer's account: its
// DeployRoleName is the role the customer created for HoneyHive's Terraform,
// with Accounts.Target.ExternalID in its trust policy.
type Customer struct {
	// Name is the customer's name as people write it, for descriptions.
	Name string

	// Operator is HoneyHive's support access to the customer's account.
	Operator OperatorAccess
}

// OperatorAccess is the role HoneyHive's operators use to troubleshoot a
// deployment in a customer's account. It is separate from the deploy role and
// reads only what troubleshooting needs: cluster descriptions, the
// deployment's logs and metrics, and a view-only access entry on its
// clusters. The customer revokes it by deleting the role.
type OperatorAccess struct {
	// RoleName is the role created in the customer's account.
	// Default: DefaultOperatorRoleName.
	RoleName string

	// TrustedRoleARN is HoneyHive's role whose sessions may assume the
	// operator role, for example
	// "arn:aws:iam::100000000001:role/platform-operator".
	TrustedRoleARN string

	// ExternalID is the value the operator role's trust policy requires. It
	// must differ from the deploy role's, so that knowing one does not open
	// the other.
	ExternalID string
}

// DefaultOperatorRoleName is the operator role's name when OperatorAccess
// does not name one.
const DefaultOperatorRoleName = "honeyhive-operator"

// ControlPlane locates the control plane of a data plane.
type ControlPlane struct {
	// Endpoint is the HTTPS URL of the control plane's API, which a data
	// plane or federated BYOC deployment calls out to, for example
	// "https://api.honeyhive.ai". Its workloads read it from the
	// "platform" ConfigMap of their namespace.
	Endpoint string

	// Environment names the control-plane environment that a hybrid SaaS
	// data plane is linked to. The two reach each other over AWS PrivateLink
	// only, region by region.
	Environment string
}

// PrivateService is a Kubernetes Service that one side of a hybrid SaaS pair
// offers to the other over AWS PrivateLink: the control plane's API, or the
// data plane's query service. The other side always connects on port 443,
// the one port the tenants' network policies let pods call outside their
// namespace; the Service itself may use any port.
type PrivateService struct {
	// Namespace is the Service's namespace, one of the environment's
	// tenants, whose network policies admit the link's load balancer.
	Namespace string

	// Name is the Service's name.
	Name string

	// Port is the Service's TCP port, as in its spec.ports.
	// Default: PrivateLinkPort.
	Port int

	// TargetPort is the TCP port the Service's pods listen on, its
	// targetPort. Default: Port.
	TargetPort int
}

// PrivateLinkPort is the port on which one half of a hybrid SaaS pair
// reaches the other's Service.
const PrivateLinkPort = 443

// KeyARNs names customer-owned KMS keys by purpose. An empty ARN means the
// platform creates that key in the account. A customer's key policy must let
// the account's deploy role use and describe the key. It must also let the
// services of its purpose use it: CloudWatch Logs for Logs, EKS for Cluster,
// S3, RDS, EBS and AWS Backup for Data, Secrets Manager for Secrets.
type KeyARNs struct {
	Logs    string
	Cluster string
	Data    string
	Secrets string
}

// ExistingVPC is a customer's VPC that an environment uses instead of
// creating one. The platform tags its subnets for discovery and adds a
// database subnet group and flow logs, but changes no route, ACL or security
// group of the customer's.
type ExistingVPC struct {
	// ID is the VPC ID, for example "vpc-0123456789abcdef0".
	ID string

	// PrivateSubnets run the nodes and pods, and need a route to the
	// internet or VPC endpoints for the AWS APIs. At least two AZs.
	PrivateSubnets []Subnet

	// IntraSubnets hold the EKS control-plane network interfaces and the
	// load balancers of PrivateLink services. At least two AZs. They must be
	// apart from PrivateSubnets, because network policies admit traffic from
	// these ranges and pods never have addresses in them.
	IntraSubnets []Subnet

	// DatabaseSubnets hold the databases. At least two AZs when
	// Components.DataStores is on.
	DatabaseSubnets []Subnet

	// RouteTableIDs are the private subnets' route tables, which get the S3
	// and DynamoDB gateway endpoints when CreateEndpoints is on.
	RouteTableIDs []string

	// CreateEndpoints creates the platform's VPC endpoints in the VPC. Leave
	// it off when the VPC already has endpoints with private DNS for the same
	// AWS services, because a second one fails to deploy.
	CreateEndpoints bool
}

// Subnet is one subnet of an existing VPC.
type Subnet struct {
	ID               string
	AvailabilityZone string
	CIDR             string
}
