// Package githuboidc lets GitHub Actions workflows call AWS without stored
// access keys: it creates the account's IAM OIDC provider for GitHub's token
// issuer and IAM roles that trust it for exact repositories, environments,
// branches or pull requests.
//
// Every role pins both the audience and the subject claim of the token with
// StringEquals. A trust that matched the subject with StringLike or a
// wildcard would let workflows of other repositories, or other branches of
// the same repository, assume the role.
package githuboidc
