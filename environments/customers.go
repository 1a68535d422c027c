package environments

// Placeholder account IDs of the bundled customer deployments. Like the
// company's own placeholders, they follow the AWS format and name no real
// account.
const (
	placeholderAcmeAccount     = "200000000001"
	placeholderGlobexAccount   = "200000000002"
	placeholderGlobexCPAccount = "100000000005"
)

// operatorRoleARN is HoneyHive's on-call role, the only principal the
// customers' operator roles trust.
const operatorRoleARN = "arn:aws:iam::" + placeholderOrchestrationAccount + ":role/platform-operator"

// customerSizes is the capacity of a single-region customer deployment:
// production's shape at a smaller size.
func customerSizes() Sizes {
	return Sizes{
		AvailabilityZones: 2,
		NATGateways:       NATPerAZ,
		SystemNodes: NodeGroupSize{
			InstanceTypes: []string{"m7g.large"},
			Min:           2, Desired: 2, Max: 4,
		},
		Karpenter: KarpenterSize{
			CPULimit:         256,
			MemoryLimitGiB:   1024,
			InstanceFamilies: []string{"m7g", "c7g", "r7g"},
		},
		DatabaseInstanceClass: "db.r7g.large",
	}
}

// customerRetention keeps logs and backups as long as prod does.
func customerRetention() Retention {
	return Retention{
		FlowLogDays:        365,
		ClusterLogDays:     365,
		ApplicationLogDays: 90,
		DatabaseBackupDays: 35,
	}
}

// Acme returns a federated BYOC deployment: the data plane runs in the
// customer's account and VPC, encrypts its data and secrets with the
// customer's own keys, and calls HoneyHive's SaaS control plane.
func Acme() Environment {
	return Environment{
		Name:       "acme",
		Pattern:    PatternFederatedBYOC,
		Tier:       TierProd,
		CostCentre: "customer-acme",
		Accounts: Accounts{
			Orchestration: orchestration,
			Target: Account{
				ID:             placeholderAcmeAccount,
				DeployRoleName: "honeyhive-deploy",
				AdminRoleName:  "acme-platform-admin",
				ExternalID:     "honeyhive-acme-deploy-4c1e9a",
			},
		},
		Customer: &Customer{
			Name: "Acme Corp",
			Operator: OperatorAccess{
				TrustedRoleARN: operatorRoleARN,
				ExternalID:     "honeyhive-acme-operator-82b7d0",
			},
		},
		Regions: []Region{{
			Name:    "us-west-2",
			Role:    RolePrimary,
			VPCCIDR: "10.0.0.0/16",
			// Acme's VPC already has the VPC endpoints and NAT gateways its
			// own workloads use.
			ExistingVPC: &ExistingVPC{
				ID: "vpc-0a1b2c3d4e5f60718",
				PrivateSubnets: []Subnet{
					{ID: "subnet-0a000000000000001", AvailabilityZone: "us-west-2a", CIDR: "10.0.0.0/19"},
					{ID: "subnet-0a000000000000002", AvailabilityZone: "us-west-2b", CIDR: "10.0.32.0/19"},
				},
				IntraSubnets: []Subnet{
					{ID: "subnet-0a000000000000003", AvailabilityZone: "us-west-2a", CIDR: "10.0.64.0/24"},
					{ID: "subnet-0a000000000000004", AvailabilityZone: "us-west-2b", CIDR: "10.0.65.0/24"},
				},
				DatabaseSubnets: []Subnet{
					{ID: "subnet-0a000000000000005", AvailabilityZone: "us-west-2a", CIDR: "10.0.66.0/24"},
					{ID: "subnet-0a000000000000006", AvailabilityZone: "us-west-2b", CIDR: "10.0.67.0/24"},
				},
			},
			// Acme holds the keys of its data and secrets; the platform
			// creates the logs and cluster keys in Acme's account.
			Keys: KeyARNs{
				Data:    "arn:aws:kms:us-west-2:" + placeholderAcmeAccount + ":key/3f6d2a10-8c4b-4e2a-9d1f-5b7c0e9a1d21",
				Secrets: "arn:aws:kms:us-west-2:" + placeholderAcmeAccount + ":key/7a2e4c91-1d3b-4f6a-8e5c-2b9d0f1a3c47",
			},
		}},
		Domain:          "acme.byoc.honeyhive.ai",
		Kubernetes:      Kubernetes{Version: "1.33"},
		Sizes:           customerSizes(),
		Retention:       customerRetention(),
		Components:      Components{Twingate: true, Monitoring: true, GitOps: true, DataStores: true},
		TwingateNetwork: "honeyhive",
		Monitoring:      Monitoring{PrometheusRetentionDays: 30, PrometheusStorageGiB: 200},
		GitOps:          GitOps{RepoURL: "https://github.com/honeyhive/platform-apps.git"},
		Data:            Data{Buckets: []string{"events"}, DatabaseInstances: 2},
		ControlPlane:    ControlPlane{Endpoint: "https://api.honeyhive.ai"},
		Tenants: []Tenant{
			{Name: "ingest", Group: "honeyhive-ingest", Quota: TenantQuota{CPU: 64, MemoryGiB: 256, Pods: 300}},
		},
	}
}

// GlobexControlPlane returns the control-plane half of Globex's hybrid SaaS
// pair: a control plane dedicated to Globex in HoneyHive's account, which
// offers its API to Globex's data plane over PrivateLink.
func GlobexControlPlane() Environment {
	return Environment{
		Name:       "globex-cp",
		Pattern:    PatternControlPlane,
		Tier:       TierProd,
		CostCentre: "customer-globex",
		Accounts: Accounts{
			Orchestration: orchestration,
			Target:        Account{ID: placeholderGlobexCPAccount},
		},
		Regions: []Region{
			{Name: "us-west-2", Role: RolePrimary, VPCCIDR: "10.40.0.0/16"},
		},
		Domain:          "globex.honeyhive.ai",
		Kubernetes:      Kubernetes{Version: "1.33"},
		Sizes:           customerSizes(),
		Retention:       customerRetention(),
		Components:      Components{Twingate: true, Monitoring: true, GitOps: true},
		TwingateNetwork: "honeyhive",
		Monitoring:      Monitoring{PrometheusRetentionDays: 30, PrometheusStorageGiB: 100},
		GitOps:          GitOps{RepoURL: "https://github.com/honeyhive/platform-apps.git"},
		Tenants: []Tenant{
			{Name: "api", Group: "honeyhive-api", Quota: TenantQuota{CPU: 32, MemoryGiB: 128, Pods: 200}},
		},
		PrivateService: &PrivateService{Namespace: "api", Name: "api", Port: 443},
	}
}

// Globex returns the data-plane half of Globex's hybrid SaaS pair: it runs
// in Globex's account, in a VPC and with keys the platform creates there, and
// reaches its control plane, globex-cp, over PrivateLink only.
func Globex() Environment {
	return Environment{
		Name:       "globex",
		Pattern:    PatternHybridSaaS,
		Tier:       TierProd,
		CostCentre: "customer-globex",
		Accounts: Accounts{
			Orchestration: orchestration,
			Target: Account{
				ID:             placeholderGlobexAccount,
				DeployRoleName: "honeyhive-deploy",
				AdminRoleName:  "globex-platform-admin",
				ExternalID:     "honeyhive-globex-deploy-e05f3b",
			},
		},
		Customer: &Customer{
			Name: "Globex Corporation",
			Operator: OperatorAccess{
				TrustedRoleARN: operatorRoleARN,
				ExternalID:     "honeyhive-globex-operator-19ac64",
			},
		},
		Regions: []Region{
			{Name: "us-west-2", Role: RolePrimary, VPCCIDR: "10.41.0.0/16"},
		},
		Domain:          "globex.hybrid.honeyhive.ai",
		Kubernetes:      Kubernetes{Version: "1.33"},
		Sizes:           customerSizes(),
		Retention:       customerRetention(),
		Components:      Components{Twingate: true, Monitoring: true, GitOps: true, DataStores: true},
		TwingateNetwork: "honeyhive",
		Monitoring:      Monitoring{PrometheusRetentionDays: 30, PrometheusStorageGiB: 200},
		GitOps:          GitOps{RepoURL: "https://github.com/honeyhive/platform-apps.git"},
		Data:            Data{Buckets: []string{"events"}, DatabaseInstances: 2},
		ControlPlane:    ControlPlane{Environment: "globex-cp"},
		Tenants: []Tenant{
			{Name: "ingest", Group: "honeyhive-ingest", Quota: TenantQuota{CPU: 64, MemoryGiB: 256, Pods: 300}},
		},
		PrivateService: &PrivateService{Namespace: "ingest", Name: "query", Port: 8443},
	}
}
