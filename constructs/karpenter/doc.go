// Package karpenter installs Karpenter v1, the node autoscaler of the
// hosting clusters, with the AWS resources it needs.
//
// New creates, inside one construct:
//
//   - The controller's IAM role, bound to kube-system/karpenter through EKS
//     Pod Identity. Its inline policy follows the statements of the Karpenter
//     CloudFormation reference for the pinned chart version. Instances,
//     launch templates and instance profiles must carry the tags that mark
//     them as this cluster's when the controller creates them, and must still
//     carry them when it changes or deletes them. Karpenter v1 creates the
//     nodes' instance profile itself from the node class's role, so no
//     instance profile is declared here.
//   - The node role, with the AWS managed policies nodes need, and an EKS
//     access entry of type EC2_LINUX, because nodes outside managed node
//     groups get none from EKS.
//   - The karpenter.sh/discovery tag on the cluster security group, so that
//     the node class selects it.
//   - The interruption queue (SQS) and four EventBridge rules that fill it
//     with scheduled maintenance, spot interruption, rebalance and instance
//     state change events, so Karpenter drains a node before EC2 takes it.
//   - Helm releases of the karpenter-crd chart and then the karpenter chart,
//     both at Config.ChartVersion, with the controller on the system node
//     group.
//   - A release of one EC2NodeClass ("default": pinned AL2023 AMI, IMDSv2
//     only, encrypted gp3 root volume) and two NodePools ("on-demand", which
//     is preferred, and "spot"), each bounded by Config.CPULimit and
//     Config.MemoryLimitGiB.
//
// Subnets are selected by the karpenter.sh/discovery tag as well; the
// network layer must put it on the private subnets.
package karpenter
