package environments

// Monitoring sizes the metrics stack of each region.
type Monitoring struct {
	// PrometheusRetentionDays is how long Prometheus keeps samples.
	PrometheusRetentionDays int

	// PrometheusStorageGiB is the size of each Prometheus volume.
	PrometheusStorageGiB int
}

// GitOps locates the environment's applications for Argo CD.
type GitOps struct {
	// RepoURL is the Git repository Argo CD reads, for example
	// "https://github.com/honeyhive/platform-apps.git".
	RepoURL string

	// Revision is the branch or tag Argo CD follows. Default: "main".
	Revision string

	// PathLayout is the folder of one region's applications inside the
	// repository, with the placeholders {env}, {region} and {region_code}.
	// Every folder directly below it is one application.
	// Default: DefaultGitOpsPathLayout.
	PathLayout string
}

// DefaultGitOpsPathLayout is the folder of a region's applications in the
// GitOps repository.
const DefaultGitOpsPathLayout = "environments/{env}/{region}"

// Data sizes the data stores of each region.
type Data struct {
	// Buckets are the names of the platform's data buckets, without the
	// environment and region, for example "events". Each region gets its
	// own copy, replicated to the DR region where residency allows.
	Buckets []string

	// DatabaseInstances is the number of Aurora instances: one writer plus
	// readers in other AZs.
	DatabaseInstances int
}

// Tenant is a team or customer that gets its own namespace in every region
// of the environment.
type Tenant struct {
	// Name is the namespace name: a DNS label of at most 63 characters.
	Name string

	// Group is the Kubernetes group whose members may edit the namespace.
	Group string

	// RoleARN, when set, is the IAM role whose sessions join Group through
	// an EKS access entry.
	RoleARN string

	// Quota caps what the tenant's pods may request in each region.
	Quota TenantQuota
}

// TenantQuota caps a tenant's requests in one region.
type TenantQuota struct {
	CPU       int
	MemoryGiB int
	Pods      int

	// StorageGiB caps the tenant's persistent volumes. Zero means the
	// tenancy construct's default.
	StorageGiB int
}
