// Command customer-trust prints, for each bundled deployment in a customer's
// account, the role the customer creates for HoneyHive's Terraform and the
// trust policy it needs: only that deployment's CI role may assume it, and
// only with the agreed external ID. Send the output to the customer when
// onboarding them.
//
// Usage: go run ./cmd/customer-trust [deployment ...]
package main

import (
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/honeyhive/platform/constructs/operatoraccess"
	"github.com/honeyhive/platform/environments"
	"github.com/honeyhive/platform/internal/jsiiruntime"
	"github.com/honeyhive/platform/stacks"
)

func main() {
	code := run(os.Stdout, os.Stderr, environments.All(), os.Args[1:])
	jsiiruntime.Close()
	os.Exit(code)
}

func run(stdout, stderr io.Writer, envs []environments.Environment, names []string) int {
	if err := environments.Validate(envs); err != nil {
		fmt.Fprintf(stderr, "customer-trust: the bundled environments are invalid:\n%v\n", err)
		return 1
	}

	var customers []environments.Environment
	for _, e := range envs {
		if e.Pattern.InCustomerAccount() && (len(names) == 0 || slices.Contains(names, e.Name)) {
			customers = append(customers, e)
		}
	}
	for _, name := range names {
		if !slices.ContainsFunc(customers, func(e environments.Environment) bool { return e.Name == name }) {
			fmt.Fprintf(stderr, "customer-trust: %q is not a deployment in a customer's account; name one whose pattern is %q or %q\n",
				name, environments.PatternFederatedBYOC, environments.PatternHybridSaaS)
			return 2
		}
	}

	for i, e := range customers {
		target := e.Accounts.Target
		policy, err := operatoraccess.DeployRoleTrustPolicy(stacks.CIDeployRoleARN(e.Accounts.Orchestration, e.Name), target.ExternalID)
		if err != nil {
			fmt.Fprintf(stderr, "customer-trust: %s: %v\n", e.Name, err)
			return 1
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "# %s (%s): create role %s in account %s with this trust policy\n", e.Name, e.Customer.Name, target.DeployRoleName, target.ID)
		fmt.Fprintln(stdout, policy)
	}
	return 0
}
