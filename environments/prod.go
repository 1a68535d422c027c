package environments

// Prod returns the production environment: us-west-2 serves, us-east-1 is
// the disaster-recovery copy, and eu-west-1 serves EU customers whose data
// stays in the EU.
func Prod() Environment {
	return Environment{
		Name:       "prod",
		Pattern:    PatternFullStack,
		Tier:       TierProd,
		CostCentre: "platform-prod",
		Accounts: Accounts{
			Orchestration: orchestration,
			Target:        Account{ID: placeholderProdAccount},
		},
		Regions: []Region{
			{Name: "us-west-2", Role: RolePrimary, VPCCIDR: "10.30.0.0/16"},
			{Name: "us-east-1", Role: RoleDR, VPCCIDR: "10.31.0.0/16"},
			{Name: "eu-west-1", Role: RoleExpansion, VPCCIDR: "10.32.0.0/16"},
		},
		Domain:     "prod.honeyhive.ai",
		Kubernetes: Kubernetes{Version: "1.33"},
		Sizes: Sizes{
			AvailabilityZones: 3,
			NATGateways:       NATPerAZ,
			SystemNodes: NodeGroupSize{
				InstanceTypes: []string{"m7g.xlarge"},
				Min:           3, Desired: 3, Max: 6,
			},
			Karpenter: KarpenterSize{
				CPULimit:         1024,
				MemoryLimitGiB:   4096,
				InstanceFamilies: []string{"m7g", "c7g", "r7g"},
			},
			DatabaseInstanceClass: "db.r7g.xlarge",
		},
		Retention: Retention{
			FlowLogDays:        365,
			ClusterLogDays:     365,
			ApplicationLogDays: 90,
			DatabaseBackupDays: 35,
		},
		Components:      Components{Twingate: true, Monitoring: true, GitOps: true, DataStores: true},
		TwingateNetwork: "honeyhive",
		Monitoring:      Monitoring{PrometheusRetentionDays: 30, PrometheusStorageGiB: 500},
		GitOps:          GitOps{RepoURL: "https://github.com/honeyhive/platform-apps.git"},
		Data:            Data{Buckets: []string{"events", "exports"}, DatabaseInstances: 2},
		Tenants: []Tenant{
			{Name: "team-ingest", Group: "team-ingest", Quota: TenantQuota{CPU: 128, MemoryGiB: 512, Pods: 500}},
			{Name: "team-evals", Group: "team-evals", Quota: TenantQuota{CPU: 128, MemoryGiB: 512, Pods: 500}},
		},
	}
}
