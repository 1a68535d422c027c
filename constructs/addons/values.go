package addons

// Value types that several charts share. Their json tags are the Kubernetes
// field names, because the charts copy these values into pod specs as they
// are.

// Toleration is a Kubernetes pod toleration.
type Toleration struct {
	Key      string `json:"key,omitempty"`
	Operator string `json:"operator,omitempty"`
	Value    string `json:"value,omitempty"`
	Effect   string `json:"effect,omitempty"`
}

// EnvVar is a container environment variable with a literal value.
type EnvVar struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ServiceAccountValues is the serviceAccount block most charts share: create
// the account under a fixed name, so the Pod Identity association can name
// it.
type ServiceAccountValues struct {
	Create bool   `json:"create"`
	Name   string `json:"name"`
}

// DisruptionBudgetValues is the PodDisruptionBudget block of charts that
// switch the budget on with an enabled flag.
type DisruptionBudgetValues struct {
	Enabled      bool `json:"enabled"`
	MinAvailable int  `json:"minAvailable,omitempty"`
}

// systemNodeTaintKey is the key of the taint on the system node group.
const systemNodeTaintKey = "CriticalAddonsOnly"

// systemNodeTolerations tolerates the system node group's taint whatever
// its value and effect.
func systemNodeTolerations() []Toleration {
	return []Toleration{{Key: systemNodeTaintKey, Operator: "Exists"}}
}
