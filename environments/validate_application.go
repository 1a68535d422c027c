package environments

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var (
	// namespaceName is a Kubernetes namespace name (RFC 1123 label).
	namespaceName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)

	bucketShortName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,18}[a-z0-9]$`)

	gitRepoURL = regexp.MustCompile(`^(https://[^\s]+|git@[^\s:]+:[^\s]+|ssh://[^\s]+)$`)

	// roleARN matches an IAM role ARN; its group 1 is the account ID.
	roleARN = regexp.MustCompile(`^arn:aws[a-z-]*:iam::([0-9]{12}):role/[\w+=,.@/-]{1,64}$`)
)

// reservedNamespaces are used by the platform itself, so no tenant may take
// them.
var reservedNamespaces = []string{
	"default", "kube-system", "kube-public", "kube-node-lease",
	"argocd", "cert-manager", "external-dns", "external-secrets", "monitoring",
}

// DataBucketName returns the name of a data bucket of env in region:
// `honeyhive-<env>-<region code>-<name>-<target account>`, globally unique
// because it contains the account ID.
func (e Environment) DataBucketName(region Region, name string) string {
	return fmt.Sprintf("honeyhive-%s-%s-%s-%s", e.Name, region.Code(), name, e.Accounts.Target.ID)
}

// GitOpsPath returns the folder of region's applications in the GitOps
// repository.
func (e Environment) GitOpsPath(region Region) string {
	return strings.NewReplacer(
		"{env}", e.Name,
		"{region}", region.Name,
		"{region_code}", region.Code(),
	).Replace(e.GitOps.PathLayout)
}

func (v *validator) application(e Environment) {
	m := e.Monitoring
	if e.Components.Monitoring {
		if m.PrometheusRetentionDays < 1 || m.PrometheusRetentionDays > 365 {
			v.add(e.Name, "Monitoring.PrometheusRetentionDays", "use 1 to 365 days; keep longer history in a long-term store",
				"%d days is out of range", m.PrometheusRetentionDays)
		}
		if m.PrometheusStorageGiB < 10 {
			v.add(e.Name, "Monitoring.PrometheusStorageGiB", "use at least 10 GiB",
				"%d GiB is too small for Prometheus", m.PrometheusStorageGiB)
		}
	}

	if e.Components.GitOps {
		g := e.GitOps
		if len(e.Tenants) == 0 {
			v.add(e.Name, "Tenants", "declare at least one tenant, or turn Components.GitOps off",
				"GitOps deploys applications only into tenant namespaces, and there are none")
		}
		if !gitRepoURL.MatchString(g.RepoURL) {
			v.add(e.Name, "GitOps.RepoURL", "use an https:// or SSH Git URL, for example \"https://github.com/honeyhive/platform-apps.git\"",
				"%q is not a Git repository URL", g.RepoURL)
		}
		if g.Revision == "" || strings.ContainsAny(g.Revision, " \t") {
			v.add(e.Name, "GitOps.Revision", "use a branch or tag name such as \"main\"", "%q is not a Git revision", g.Revision)
		}
		for _, p := range keyPlaceholder.FindAllString(g.PathLayout, -1) {
			if !slices.Contains([]string{"{env}", "{region}", "{region_code}"}, p) {
				v.add(e.Name, "GitOps.PathLayout", "use only the placeholders {env}, {region} and {region_code}",
					"unknown placeholder %s in %q", p, g.PathLayout)
			}
		}
		if g.PathLayout == "" || strings.HasPrefix(g.PathLayout, "/") || strings.Contains(g.PathLayout, "..") {
			v.add(e.Name, "GitOps.PathLayout", "use a relative folder inside the repository, without \"..\"",
				"%q is not a relative path", g.PathLayout)
		}
	}

	if e.Components.DataStores {
		d := e.Data
		seen := map[string]bool{}
		for i, b := range d.Buckets {
			field := fmt.Sprintf("Data.Buckets[%d]", i)
			switch {
			case !bucketShortName.MatchString(b):
				v.add(e.Name, field, "use 2 to 20 lowercase letters, digits and hyphens", "%q is not a valid bucket name part", b)

			case seen[b]:
				v.add(e.Name, field, "list each bucket once", "bucket %q is listed twice", b)

			default:
				for _, r := range e.Regions {
					if full := e.DataBucketName(r, b); len(full) > 63 {
						v.add(e.Name, field, "shorten the bucket or environment name; S3 allows 63 characters",
							"the bucket name %q has %d characters", full, len(full))
						break
					}
				}
			}
			seen[b] = true
		}
		if e.Tier == TierProd && e.Retention.DatabaseBackupDays < 14 {
			v.add(e.Name, "Retention.DatabaseBackupDays", "keep at least 14 days of point-in-time recovery in production",
				"%d days is too short for a production database", e.Retention.DatabaseBackupDays)
		}
		if d.DatabaseInstances < 1 || d.DatabaseInstances > 15 {
			v.add(e.Name, "Data.DatabaseInstances", "use 1 to 15 instances (Aurora's limit); use 2 or more for a standby in another AZ",
				"%d instances is out of range", d.DatabaseInstances)
		}
	}

	v.tenants(e)
}

func (v *validator) tenants(e Environment) {
	names := map[string]int{}
	roles := map[string]int{}
	var cpu, memory int
	for i, t := range e.Tenants {
		field := fmt.Sprintf("Tenants[%d]", i)

		switch {
		case !namespaceName.MatchString(t.Name):
			v.add(e.Name, field+".Name", "use a namespace name: 1 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit",
				"%q is not a valid namespace name", t.Name)

		case slices.Contains(reservedNamespaces, t.Name):
			v.add(e.Name, field+".Name", "choose another name; the platform itself uses "+strings.Join(reservedNamespaces, ", "),
				"%q is reserved", t.Name)
		}
		if j, dup := names[t.Name]; dup {
			v.add(e.Name, field+".Name", "give every tenant its own name", "tenant %q is already Tenants[%d]", t.Name, j)
		} else {
			names[t.Name] = i
		}

		if t.Group == "" || strings.HasPrefix(t.Group, "system:") || strings.ContainsAny(t.Group, " \t") {
			v.add(e.Name, field+".Group", "name a Kubernetes group without spaces and outside the reserved system: prefix",
				"%q is not a usable group name", t.Group)
		}
		if t.RoleARN != "" {
			m := roleARN.FindStringSubmatch(t.RoleARN)
			switch {
			case m == nil:
				v.add(e.Name, field+".RoleARN", "use an IAM role ARN such as \"arn:aws:iam::123456789012:role/team-ingest\"",
					"%q is not an IAM role ARN", t.RoleARN)

			case m[1] != e.Accounts.Target.ID:
				v.add(e.Name, field+".RoleARN", "use a role in the target account "+e.Accounts.Target.ID,
					"role %q is in account %s", t.RoleARN, m[1])

			// EKS allows one access entry per principal, and the hosting
			// layer already gives the deploy and admin roles theirs.
			case t.RoleARN == e.Accounts.Target.DeployRoleARN() || t.RoleARN == e.Accounts.Target.AdminRoleARN():
				v.add(e.Name, field+".RoleARN", "give the tenant a role of its own; the deploy and admin roles already have cluster access",
					"role %q is the environment's deploy or admin role", t.RoleARN)
			}
			if j, dup := roles[t.RoleARN]; dup {
				v.add(e.Name, field+".RoleARN", "give every tenant its own role; EKS allows one access entry per role",
					"role %q is already the role of Tenants[%d]", t.RoleARN, j)
			} else {
				roles[t.RoleARN] = i
			}
		}

		q := t.Quota
		if q.StorageGiB < 0 {
			v.add(e.Name, field+".Quota.StorageGiB", "use a positive size, or 0 for the default", "%d GiB is negative", q.StorageGiB)
		}
		if q.CPU <= 0 || q.MemoryGiB <= 0 || q.Pods <= 0 {
			v.add(e.Name, field+".Quota", "set CPU, MemoryGiB and Pods above zero",
				"CPU %d, MemoryGiB %d and Pods %d must all be positive", q.CPU, q.MemoryGiB, q.Pods)
		}
		cpu += q.CPU
		memory += q.MemoryGiB
	}

	// Tenants run on the nodes Karpenter launches, and each of its node pools
	// stops at the environment's limits, so quotas beyond them could never be
	// met.
	k := e.Sizes.Karpenter
	if k.CPULimit > 0 && cpu > k.CPULimit {
		v.add(e.Name, "Tenants", "lower the tenants' Quota.CPU or raise Sizes.Karpenter.CPULimit",
			"the tenants' quotas add up to %d CPUs, more than the %d a node pool can hold", cpu, k.CPULimit)
	}
	if k.MemoryLimitGiB > 0 && memory > k.MemoryLimitGiB {
		v.add(e.Name, "Tenants", "lower the tenants' Quota.MemoryGiB or raise Sizes.Karpenter.MemoryLimitGiB",
			"the tenants' quotas add up to %d GiB of memory, more than the %d GiB a node pool can hold", memory, k.MemoryLimitGiB)
	}
}
