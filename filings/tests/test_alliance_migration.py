"""A database that held alliance filings before the alliance became an app of its own
migrates across the move without losing or changing a row (CI runs it on PostgreSQL
and on SQLite)."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from filings.kinds.alliance.models import AllianceDetail, AllianceMember, PatentPool
from filings.models import Filing

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("filings", "0005_queue_indexes"), ("alliance", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def test_alliance_filings_survive_the_move_to_their_own_app():
    executor = _migrate(BEFORE_THE_MOVE)
    old = executor.loader.project_state([BEFORE_THE_MOVE[0]]).apps
    assert "filings_alliancedetail" in connection.introspection.table_names()

    Organisation = old.get_model("accounts", "Organisation")
    User = old.get_model("accounts", "User")
    Call = old.get_model("filings", "Call")
    OldFiling = old.get_model("filings", "Filing")
    org = Organisation.objects.create(
        name="上海某科技有限公司",
        uscc="91310000MA1FL0000X",
        org_type="enterprise",
        district="xuhui",
        division_code="310104",
        contact_name="张三",
    )
    user = User.objects.create(email="a@example.cn", name="张三", mobile="13800000000", organisation=org)
    now = timezone.now()
    call = Call.objects.create(
        kind="ALLIANCE", title="联盟备案", opens_at=now, closes_at=now + timezone.timedelta(days=30), year=2024
    )
    filing = OldFiling.objects.create(
        kind="ALLIANCE", call=call, organisation=org, created_by=user, state="submitted", number="LM2024-001-0001"
    )
    old.get_model("filings", "AllianceDetail").objects.create(filing=filing, name="上海车规芯片产业知识产权联盟")
    old.get_model("filings", "AllianceMember").objects.create(
        filing=filing, category="enterprise", name="上海某芯片公司", amount=Decimal("1234.50"), inventions=12
    )
    old.get_model("filings", "PatentPool").objects.create(
        filing=filing, name="车规芯片专利池", chain_node="芯片设计", patent_count=40, description="许可"
    )
    ContentType.objects.get_or_create(app_label="filings", model="alliancedetail")

    executor = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    tables = connection.introspection.table_names()
    assert {"alliance_alliancedetail", "alliance_alliancemember", "alliance_patentpool"} <= set(tables)
    assert "filings_alliancedetail" not in tables
    moved = Filing.objects.get(number="LM2024-001-0001")
    assert moved.alliance.name == "上海车规芯片产业知识产权联盟"
    member = AllianceMember.objects.get(filing=moved)
    assert (member.name, member.amount, member.inventions) == ("上海某芯片公司", Decimal("1234.50"), 12)
    assert PatentPool.objects.get(filing=moved).chain_node == "芯片设计"
    assert AllianceDetail._meta.app_label == "alliance"
    assert ContentType.objects.filter(app_label="alliance", model="alliancedetail").count() == 1
    assert not ContentType.objects.filter(app_label="filings", model="alliancedetail").exists()
