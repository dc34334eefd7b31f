"""`kubectl api-resources`: the list a kubeadm v1.32 cluster serves, laid out as kubectl does."""

import pytest

from k8scourse.errors import ClientError
from k8scourse.kubectl.apiresources import resources, table

# `kubectl api-resources -o wide` on a v1.32 kubeadm cluster (real output; the rows of
# third-party CRDs that cluster had installed are left out).
WIDE = (
    'NAME                                SHORTNAMES   APIVERSION                        NAMESPACED   KIND                               VERBS                                                        CATEGORIES\n'
    'bindings                                         v1                                true         Binding                            create                                                       \n'
    'componentstatuses                   cs           v1                                false        ComponentStatus                    get,list                                                     \n'
    'configmaps                          cm           v1                                true         ConfigMap                          create,delete,deletecollection,get,list,patch,update,watch   \n'
    'endpoints                           ep           v1                                true         Endpoints                          create,delete,deletecollection,get,list,patch,update,watch   \n'
    'events                              ev           v1                                true         Event                              create,delete,deletecollection,get,list,patch,update,watch   \n'
    'limitranges                         limits       v1                                true         LimitRange                         create,delete,deletecollection,get,list,patch,update,watch   \n'
    'namespaces                          ns           v1                                false        Namespace                          create,delete,get,list,patch,update,watch                    \n'
    'nodes                               no           v1                                false        Node                               create,delete,deletecollection,get,list,patch,update,watch   \n'
    'persistentvolumeclaims              pvc          v1                                true         PersistentVolumeClaim              create,delete,deletecollection,get,list,patch,update,watch   \n'
    'persistentvolumes                   pv           v1                                false        PersistentVolume                   create,delete,deletecollection,get,list,patch,update,watch   \n'
    'pods                                po           v1                                true         Pod                                create,delete,deletecollection,get,list,patch,update,watch   all\n'
    'podtemplates                                     v1                                true         PodTemplate                        create,delete,deletecollection,get,list,patch,update,watch   \n'
    'replicationcontrollers              rc           v1                                true         ReplicationController              create,delete,deletecollection,get,list,patch,update,watch   all\n'
    'resourcequotas                      quota        v1                                true         ResourceQuota                      create,delete,deletecollection,get,list,patch,update,watch   \n'
    'secrets                                          v1                                true         Secret                             create,delete,deletecollection,get,list,patch,update,watch   \n'
    'serviceaccounts                     sa           v1                                true         ServiceAccount                     create,delete,deletecollection,get,list,patch,update,watch   \n'
    'services                            svc          v1                                true         Service                            create,delete,deletecollection,get,list,patch,update,watch   all\n'
    'mutatingwebhookconfigurations                    admissionregistration.k8s.io/v1   false        MutatingWebhookConfiguration       create,delete,deletecollection,get,list,patch,update,watch   api-extensions\n'
    'validatingadmissionpolicies                      admissionregistration.k8s.io/v1   false        ValidatingAdmissionPolicy          create,delete,deletecollection,get,list,patch,update,watch   api-extensions\n'
    'validatingadmissionpolicybindings                admissionregistration.k8s.io/v1   false        ValidatingAdmissionPolicyBinding   create,delete,deletecollection,get,list,patch,update,watch   api-extensions\n'
    'validatingwebhookconfigurations                  admissionregistration.k8s.io/v1   false        ValidatingWebhookConfiguration     create,delete,deletecollection,get,list,patch,update,watch   api-extensions\n'
    'customresourcedefinitions           crd,crds     apiextensions.k8s.io/v1           false        CustomResourceDefinition           create,delete,deletecollection,get,list,patch,update,watch   api-extensions\n'
    'apiservices                                      apiregistration.k8s.io/v1         false        APIService                         create,delete,deletecollection,get,list,patch,update,watch   api-extensions\n'
    'controllerrevisions                              apps/v1                           true         ControllerRevision                 create,delete,deletecollection,get,list,patch,update,watch   \n'
    'daemonsets                          ds           apps/v1                           true         DaemonSet                          create,delete,deletecollection,get,list,patch,update,watch   all\n'
    'deployments                         deploy       apps/v1                           true         Deployment                         create,delete,deletecollection,get,list,patch,update,watch   all\n'
    'replicasets                         rs           apps/v1                           true         ReplicaSet                         create,delete,deletecollection,get,list,patch,update,watch   all\n'
    'statefulsets                        sts          apps/v1                           true         StatefulSet                        create,delete,deletecollection,get,list,patch,update,watch   all\n'
    'selfsubjectreviews                               authentication.k8s.io/v1          false        SelfSubjectReview                  create                                                       \n'
    'tokenreviews                                     authentication.k8s.io/v1          false        TokenReview                        create                                                       \n'
    'localsubjectaccessreviews                        authorization.k8s.io/v1           true         LocalSubjectAccessReview           create                                                       \n'
    'selfsubjectaccessreviews                         authorization.k8s.io/v1           false        SelfSubjectAccessReview            create                                                       \n'
    'selfsubjectrulesreviews                          authorization.k8s.io/v1           false        SelfSubjectRulesReview             create                                                       \n'
    'subjectaccessreviews                             authorization.k8s.io/v1           false        SubjectAccessReview                create                                                       \n'
    'horizontalpodautoscalers            hpa          autoscaling/v2                    true         HorizontalPodAutoscaler            create,delete,deletecollection,get,list,patch,update,watch   all\n'
    'cronjobs                            cj           batch/v1                          true         CronJob                            create,delete,deletecollection,get,list,patch,update,watch   all\n'
    'jobs                                             batch/v1                          true         Job                                create,delete,deletecollection,get,list,patch,update,watch   all\n'
    'certificatesigningrequests          csr          certificates.k8s.io/v1            false        CertificateSigningRequest          create,delete,deletecollection,get,list,patch,update,watch   \n'
    'leases                                           coordination.k8s.io/v1            true         Lease                              create,delete,deletecollection,get,list,patch,update,watch   \n'
    'endpointslices                                   discovery.k8s.io/v1               true         EndpointSlice                      create,delete,deletecollection,get,list,patch,update,watch   \n'
    'events                              ev           events.k8s.io/v1                  true         Event                              create,delete,deletecollection,get,list,patch,update,watch   \n'
    'flowschemas                                      flowcontrol.apiserver.k8s.io/v1   false        FlowSchema                         create,delete,deletecollection,get,list,patch,update,watch   \n'
    'prioritylevelconfigurations                      flowcontrol.apiserver.k8s.io/v1   false        PriorityLevelConfiguration         create,delete,deletecollection,get,list,patch,update,watch   \n'
    'ingressclasses                                   networking.k8s.io/v1              false        IngressClass                       create,delete,deletecollection,get,list,patch,update,watch   \n'
    'ingresses                           ing          networking.k8s.io/v1              true         Ingress                            create,delete,deletecollection,get,list,patch,update,watch   \n'
    'networkpolicies                     netpol       networking.k8s.io/v1              true         NetworkPolicy                      create,delete,deletecollection,get,list,patch,update,watch   \n'
    'runtimeclasses                                   node.k8s.io/v1                    false        RuntimeClass                       create,delete,deletecollection,get,list,patch,update,watch   \n'
    'poddisruptionbudgets                pdb          policy/v1                         true         PodDisruptionBudget                create,delete,deletecollection,get,list,patch,update,watch   \n'
    'clusterrolebindings                              rbac.authorization.k8s.io/v1      false        ClusterRoleBinding                 create,delete,deletecollection,get,list,patch,update,watch   \n'
    'clusterroles                                     rbac.authorization.k8s.io/v1      false        ClusterRole                        create,delete,deletecollection,get,list,patch,update,watch   \n'
    'rolebindings                                     rbac.authorization.k8s.io/v1      true         RoleBinding                        create,delete,deletecollection,get,list,patch,update,watch   \n'
    'roles                                            rbac.authorization.k8s.io/v1      true         Role                               create,delete,deletecollection,get,list,patch,update,watch   \n'
    'priorityclasses                     pc           scheduling.k8s.io/v1              false        PriorityClass                      create,delete,deletecollection,get,list,patch,update,watch   \n'
    'csidrivers                                       storage.k8s.io/v1                 false        CSIDriver                          create,delete,deletecollection,get,list,patch,update,watch   \n'
    'csinodes                                         storage.k8s.io/v1                 false        CSINode                            create,delete,deletecollection,get,list,patch,update,watch   \n'
    'csistoragecapacities                             storage.k8s.io/v1                 true         CSIStorageCapacity                 create,delete,deletecollection,get,list,patch,update,watch   \n'
    'storageclasses                      sc           storage.k8s.io/v1                 false        StorageClass                       create,delete,deletecollection,get,list,patch,update,watch   \n'
    'volumeattachments                                storage.k8s.io/v1                 false        VolumeAttachment                   create,delete,deletecollection,get,list,patch,update,watch   \n'
)


def test_wide_output_is_the_real_v132_list():
    """Every built-in resource, sorted by group then name, with verbs and categories."""
    assert table(wide=True) == WIDE


def test_default_columns_and_filters():
    """Without -o wide the KIND column is last; --namespaced and --api-group filter the rows."""
    assert table(namespaced=False, api_group="storage.k8s.io") == (
        "NAME                SHORTNAMES   APIVERSION          NAMESPACED   KIND\n"
        "csidrivers                       storage.k8s.io/v1   false        CSIDriver\n"
        "csinodes                         storage.k8s.io/v1   false        CSINode\n"
        "storageclasses      sc           storage.k8s.io/v1   false        StorageClass\n"
        "volumeattachments                storage.k8s.io/v1   false        VolumeAttachment\n")


def test_output_name_qualifies_with_the_group():
    """-o name prints `pods`, `deployments.apps`, `events.events.k8s.io`."""
    names = table(output="name").splitlines()
    assert names[:3] == ["bindings", "componentstatuses", "configmaps"]
    assert "deployments.apps" in names and "events.events.k8s.io" in names and "events" in names
    assert len(names) == 58


def test_the_kinds_the_course_uses_are_served_with_their_short_names():
    """pods/po, services/svc, deployments/deploy, replicasets/rs ... as discovery reports them."""
    by_name = {(r.name, r.group): r for r in resources()}
    assert by_name[("pods", "")].short_names == ("po",)
    assert by_name[("deployments", "apps")].short_names == ("deploy",)
    assert by_name[("replicationcontrollers", "")].categories == ("all",)
    assert by_name[("namespaces", "")].namespaced is False


def test_unsupported_output_is_an_error():
    """-o yaml is not available for api-resources."""
    with pytest.raises(ClientError) as err:
        table(output="yaml")
    assert str(err.value) == "--output yaml is not available"
