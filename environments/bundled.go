package environments

// The account IDs below are placeholders: they follow the AWS format so that
// validation and synthesis exercise real values, but they name no real
// account. Replace them with the company's account IDs before deploying.
const (
	placeholderOrchestrationAccount = "100000000001"
	placeholderTestAccount          = "100000000002"
	placeholderStageAccount         = "100000000003"
	placeholderProdAccount          = "100000000004"
)

// orchestration is the account that runs CI and keeps the Terraform state of
// every bundled environment.
var orchestration = Orchestration{
	Name:    "orchestration",
	Account: Account{ID: placeholderOrchestrationAccount},
	GitHub:  GitHub{Owner: "honeyhive", Repository: "platform-infra"},
}

// All returns the bundled environments with their defaults applied: the
// company's own in promotion order (test, stage, prod), then the customer
// deployments, each control plane before the data planes linked to it.
func All() []Environment {
	envs := []Environment{Test(), Stage(), Prod(), Acme(), GlobexControlPlane(), Globex()}
	for i := range envs {
		envs[i] = envs[i].WithDefaults()
	}
	return envs
}
