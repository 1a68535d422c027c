package environments

// Stage returns the stage environment: production's shape (three AZs, a NAT
// gateway per AZ, a DR region) at a smaller size, so releases are rehearsed
// against the same topology they will meet in prod.
func Stage() Environment {
	return Environment{
		Name:       "stage",
		Pattern:    PatternFullStack,
		Tier:       TierStage,
		CostCentre: "platform-stage",
		Accounts: Accounts{
			Orchestration: orchestration,
			Target:        Account{ID: placeholderStageAccount},
		},
		Regions: []Region{
			{Name: "us-west-2", Role: RolePrimary, VPCCIDR: "10.20.0.0/16"},
			{Name: "us-east-1", Role: RoleDR, VPCCIDR: "10.21.0.0/16"},
		},
		Domain:     "stage.honeyhive.ai",
		Kubernetes: Kubernetes{Version: "1.33"},
		Sizes: Sizes{
			AvailabilityZones: 3,
			NATGateways:       NATPerAZ,
			SystemNodes: NodeGroupSize{
				InstanceTypes: []string{"m7g.large"},
				Min:           3, Desired: 3, Max: 4,
			},
			Karpenter: KarpenterSize{
				CPULimit:         256,
				MemoryLimitGiB:   1024,
				InstanceFamilies: []string{"m7g", "c7g", "r7g"},
			},
			DatabaseInstanceClass: "db.r7g.large",
		},
		Retention: Retention{
			FlowLogDays:        30,
			ClusterLogDays:     30,
			ApplicationLogDays: 30,
			DatabaseBackupDays: 14,
		},
		Components:      Components{Twingate: true, Monitoring: true, GitOps: true, DataStores: true},
		TwingateNetwork: "honeyhive",
		Monitoring:      Monitoring{PrometheusRetentionDays: 15, PrometheusStorageGiB: 100},
		GitOps:          GitOps{RepoURL: "https://github.com/honeyhive/platform-apps.git"},
		Data:            Data{Buckets: []string{"events", "exports"}, DatabaseInstances: 2},
		Tenants: []Tenant{
			{Name: "team-ingest", Group: "team-ingest", Quota: TenantQuota{CPU: 32, MemoryGiB: 128, Pods: 200}},
			{Name: "team-evals", Group: "team-evals", Quota: TenantQuota{CPU: 32, MemoryGiB: 128, Pods: 200}},
		},
	}
}
