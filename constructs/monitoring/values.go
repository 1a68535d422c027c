package monitoring

import (
	"fmt"
	"strings"
)

// Value types that several charts share. Their json tags are the Kubernetes
// field names, because the charts copy these values into object specs as
// they are.

// storageClassName is the default encrypted gp3 StorageClass that the
// hosting layer creates.
const storageClassName = "gp3"

// toleration is a Kubernetes pod toleration.
type toleration struct {
	Key      string `json:"key,omitempty"`
	Operator string `json:"operator"`
	Effect   string `json:"effect,omitempty"`
}

// resourceList is a Kubernetes resource list. Empty quantities are left out.
type resourceList struct {
	CPU     string `json:"cpu,omitempty"`
	Memory  string `json:"memory,omitempty"`
	Storage string `json:"storage,omitempty"`
}

// resourceRequirements are the requests and limits of a container or a
// volume claim.
type resourceRequirements struct {
	Requests resourceList  `json:"requests"`
	Limits   *resourceList `json:"limits,omitempty"`
}

// serviceAccountValues is the serviceAccount block most charts share: create
// the account under a fixed name, so the Pod Identity association can name
// it.
type serviceAccountValues struct {
	Create bool   `json:"create"`
	Name   string `json:"name"`
}

// disruptionBudgetValues is the PodDisruptionBudget block of charts that
// switch the budget on with an enabled flag.
type disruptionBudgetValues struct {
	Enabled      bool `json:"enabled"`
	MinAvailable int  `json:"minAvailable,omitempty"`
}

// enabledValues is a block that only switches a feature on or off.
type enabledValues struct {
	Enabled bool `json:"enabled"`
}

// volumeClaimTemplate is a PersistentVolumeClaim template, as the
// Prometheus operator's storage specs take it.
type volumeClaimTemplate struct {
	Spec volumeClaimSpec `json:"spec"`
}

type volumeClaimSpec struct {
	StorageClassName string               `json:"storageClassName"`
	AccessModes      []string             `json:"accessModes"`
	Resources        resourceRequirements `json:"resources"`
}

// storageSpec is the storage block of the Prometheus and Alertmanager
// custom resources.
type storageSpec struct {
	VolumeClaimTemplate volumeClaimTemplate `json:"volumeClaimTemplate"`
}

// newStorageSpec returns a storage spec of one gp3 volume of sizeGiB per
// replica.
func newStorageSpec(sizeGiB int) storageSpec {
	return storageSpec{VolumeClaimTemplate: volumeClaimTemplate{Spec: volumeClaimSpec{
		StorageClassName: storageClassName,
		AccessModes:      []string{"ReadWriteOnce"},
		Resources:        resourceRequirements{Requests: resourceList{Storage: gibibytes(sizeGiB)}},
	}}}
}

// gibibytes returns a Kubernetes quantity of n GiB.
func gibibytes(n int) string {
	return fmt.Sprintf("%dGi", n)
}

// terraformTemplateEscaper doubles the "$" of "${" and the "%" of "%{".
var terraformTemplateEscaper = strings.NewReplacer("${", "$${", "%{", "%%{")

// escapeTerraformTemplate returns s escaped for a Terraform string. CDKTF
// writes strings into the JSON configuration as they are, and Terraform
// reads every string there as a template. A literal "${", such as the
// collector's own "${env:...}" references, must therefore reach Terraform
// as "$${" to come out of it unchanged. Never pass a CDKTF token through
// this, because tokens are "${...}" interpolations that must stay live.
func escapeTerraformTemplate(s string) string {
	return terraformTemplateEscaper.Replace(s)
}
