"""Go text/tabwriter as kubectl uses it: tables (min width 6, padding 3) and describe (0, 2)."""

from k8scourse.kubectl.tabwriter import format_rows, tabwrite


def test_columns_are_padded_three_past_the_widest_cell_and_the_last_is_not():
    """Each column is as wide as its widest cell plus 3; the last column has no padding."""
    rows = [["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            ["nginx", "1/1", "Running", "0", "5m"],
            ["web-7854ff8877-abcde", "0/1", "Pending", "0", "10s"]]
    assert format_rows(rows) == (
        "NAME                   READY   STATUS    RESTARTS   AGE\n"
        "nginx                  1/1     Running   0          5m\n"
        "web-7854ff8877-abcde   0/1     Pending   0          10s\n")


def test_narrow_columns_are_at_least_six_wide():
    """Without headers, a column of short cells is still 6 wide (`0` then 5 spaces)."""
    assert format_rows([["nginx", "1/1", "Running", "0", "5m"]]) == "nginx   1/1   Running   0     5m\n"


def test_no_rows_gives_no_text():
    """An empty table prints nothing at all."""
    assert format_rows([]) == ""


def test_tabwrite_aligns_each_block_of_lines_separately():
    """A line without a tab ends the column block: the next section aligns on its own."""
    text = ("Name:\tnode01\nRoles:\t<none>\nCreationTimestamp:\tWed\nLease:\n"
            "  HolderIdentity:\tnode01\n  AcquireTime:\t<unset>\n")
    assert tabwrite(text, padding=2) == (
        "Name:               node01\n"
        "Roles:              <none>\n"
        "CreationTimestamp:  Wed\n"
        "Lease:\n"
        "  HolderIdentity:  node01\n"
        "  AcquireTime:     <unset>\n")


def test_tabwrite_nested_columns_and_trailing_empty_cell():
    """Inner columns form their own blocks; a padded cell before an empty last cell keeps its
    trailing spaces, as Go's tabwriter writes them."""
    text = "Events:\n  Type\tReason\tFrom\tMessage\n  Normal\tStarting\tkube-proxy\t\n"
    assert tabwrite(text, padding=2) == (
        "Events:\n"
        "  Type    Reason    From        Message\n"
        "  Normal  Starting  kube-proxy  \n")
