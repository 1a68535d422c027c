package eks

import (
	"slices"
	"strconv"
	"strings"
)

// AddonVersions pins the Amazon EKS add-on versions installed on a cluster of
// one Kubernetes version. Each value is an exact add-on version as
// `aws eks describe-addon-versions` lists it, such as "v1.21.1-eksbuild.7".
type AddonVersions struct {
	VPCCNI           string
	CoreDNS          string
	KubeProxy        string
	PodIdentityAgent string
	EBSCSIDriver     string
}

// SupportedVersions maps each Kubernetes minor version that the constructs
// of this package support to the add-on versions installed with it. A new
// Kubernetes version becomes usable by adding an entry here.
//
// CoreDNS and kube-proxy are the latest versions for each Kubernetes version
// in the version tables of the Amazon EKS User Guide ("Manage CoreDNS" and
// "Manage kube-proxy"). VPC CNI, the Pod Identity Agent and the EBS CSI
// driver publish one version for every supported Kubernetes version, so both
// entries share theirs.
//
// NOTE: the VPC CNI, Pod Identity Agent and EBS CSI driver versions come from
// `aws eks describe-addon-versions` output recorded in public repositories,
// not from an AWS table. Run that command for each Kubernetes version before
// changing a pin.
var SupportedVersions = map[string]AddonVersions{
	"1.32": {
		VPCCNI:           "v1.21.1-eksbuild.7",
		CoreDNS:          "v1.11.4-eksbuild.33",
		KubeProxy:        "v1.32.13-eksbuild.5",
		PodIdentityAgent: "v1.3.10-eksbuild.3",
		EBSCSIDriver:     "v1.58.0-eksbuild.1",
	},
	"1.33": {
		VPCCNI:           "v1.21.1-eksbuild.7",
		CoreDNS:          "v1.13.2-eksbuild.4",
		KubeProxy:        "v1.33.10-eksbuild.2",
		PodIdentityAgent: "v1.3.10-eksbuild.3",
		EBSCSIDriver:     "v1.58.0-eksbuild.1",
	},
}

// SupportedVersionList returns the keys of SupportedVersions in ascending
// order.
func SupportedVersionList() []string {
	versions := make([]string, 0, len(SupportedVersions))
	for v := range SupportedVersions {
		versions = append(versions, v)
	}
	// Minor versions are compared as numbers, so "1.9" sorts before "1.10".
	slices.SortFunc(versions, compareMinorVersions)
	return versions
}

// supportedVersionsText lists the supported versions for error messages.
func supportedVersionsText() string {
	quoted := SupportedVersionList()
	for i, v := range quoted {
		quoted[i] = `"` + v + `"`
	}
	return strings.Join(quoted, ", ")
}

// compareMinorVersions orders "major.minor" strings numerically. A part
// that is not a number sorts after every number.
func compareMinorVersions(a, b string) int {
	aParts, bParts := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(aParts) && i < len(bParts); i++ {
		aNumber, aErr := strconv.Atoi(aParts[i])
		bNumber, bErr := strconv.Atoi(bParts[i])
		var c int
		switch {
		case aErr == nil && bErr == nil:
			c = aNumber - bNumber
		case aErr == nil:
			c = -1
		case bErr == nil:
			c = 1
		default:
			c = strings.Compare(aParts[i], bParts[i])
		}
		if c != 0 {
			return c
		}
	}
	return len(aParts) - len(bParts)
}
