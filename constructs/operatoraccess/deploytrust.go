package operatoraccess

import (
	"errors"

	"github.com/honeyhive/platform/constructs/iampolicy"
)

// DeployRoleTrustPolicy returns the trust policy, as IAM policy JSON, that
// the customer puts on the deploy role HoneyHive's Terraform assumes in the
// customer's account. Only ciRoleARN may assume the role, and only with
// externalID. It returns an error, and no policy, if either input is
// invalid.
//
// The policy allows sts:TagSession besides sts:AssumeRole because the AWS
// provider's assume_role block (provider 5.99.1, as bound by
// cdktf-provider-aws-go v19) can pass session tags through its tags and
// transitive_tag_keys arguments. STS rejects session tags unless the role's
// trust policy allows sts:TagSession, as the IAM User Guide page "Pass
// session tags in AWS STS" describes.
func DeployRoleTrustPolicy(ciRoleARN, externalID string) (string, error) {
	var errs []error
	if err := validateRoleARN("operatoraccess: DeployRoleTrustPolicy ciRoleARN", ciRoleARN, "", "HoneyHive's CI deploy role"); err != nil {
		errs = append(errs, err)
	}
	if err := validateExternalID("operatoraccess: DeployRoleTrustPolicy externalID", externalID); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return "", err
	}

	policy := iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:       "HoneyHiveDeploy",
		Principal: map[string][]string{"AWS": {ciRoleARN}},
		Actions:   []string{"sts:AssumeRole", "sts:TagSession"},
		Conditions: map[string]map[string][]string{
			"StringEquals": {"sts:ExternalId": {externalID}},
		},
	}}}
	return policy.JSON(), nil
}
