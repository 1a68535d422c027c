// Package awsid checks AWS identifiers in construct configurations: account
// IDs, region names, partitions, IAM role ARNs, S3 bucket names, CloudWatch
// Logs retention periods and KMS key ARNs.
//
// Each checker returns nil or one error that starts with the field path the
// caller passes, such as "eks: ClusterConfig.AccountID", so that a construct
// package keeps its own prefix and config type in messages. The checks are
// syntactic: they cannot tell whether an account, role or key exists.
package awsid
