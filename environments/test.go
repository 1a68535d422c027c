package environments

// Test returns the test environment: one region, two AZs and a single NAT
// gateway, sized for integration testing rather than load.
func Test() Environment {
	return Environment{
		Name:       "test",
		Pattern:    PatternFullStack,
		Tier:       TierTest,
		CostCentre: "platform-test",
		Accounts: Accounts{
			Orchestration: orchestration,
			Target:        Account{ID: placeholderTestAccount},
		},
		Regions: []Region{
			{Name: "us-west-2", Role: RolePrimary, VPCCIDR: "10.10.0.0/16"},
		},
		Domain:     "test.honeyhive.ai",
		Kubernetes: Kubernetes{Version: "1.33"},
		Sizes: Sizes{
			AvailabilityZones: 2,
			NATGateways:       NATSingle,
			SystemNodes: NodeGroupSize{
				InstanceTypes: []string{"m7g.large"},
				Min:           2, Desired: 2, Max: 3,
			},
			Karpenter: KarpenterSize{
				CPULimit:         64,
				MemoryLimitGiB:   256,
				InstanceFamilies: []string{"m7g", "c7g", "r7g"},
			},
			DatabaseInstanceClass: "db.t4g.medium",
		},
		Retention: Retention{
			FlowLogDays:        14,
			ClusterLogDays:     14,
			ApplicationLogDays: 7,
			DatabaseBackupDays: 7,
		},
		Components:      Components{Twingate: true, Monitoring: true, GitOps: true, DataStores: true},
		TwingateNetwork: "honeyhive",
		Monitoring:      Monitoring{PrometheusRetentionDays: 7, PrometheusStorageGiB: 50},
		GitOps:          GitOps{RepoURL: "https://github.com/honeyhive/platform-apps.git"},
		Data:            Data{Buckets: []string{"events", "exports"}, DatabaseInstances: 1},
		Tenants: []Tenant{
			{Name: "team-ingest", Group: "team-ingest", Quota: TenantQuota{CPU: 8, MemoryGiB: 32, Pods: 100}},
		},
	}
}
