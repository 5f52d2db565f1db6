"""Supervision records (监督管理): inspections, special campaigns, enforcement
cases, training, commitment letters, public destruction — as immutable
events — the risk ranking of whom to inspect next, and the figures for the
statistics report. Who may write and read them: ``access``."""

from foodtrace.services.supervision.access import can_read, can_write
from foodtrace.services.supervision.campaigns import CampaignReport, campaign_report, list_campaigns, start_campaign
from foodtrace.services.supervision.cases import CaseView, case_evidence, get_case, list_cases, open_case, update_case
from foodtrace.services.supervision.evidence import CaseEvidence
from foodtrace.services.supervision.figures import supervision_figures
from foodtrace.services.supervision.inspections import (
    InspectionView,
    get_inspection,
    list_inspections,
    record_inspection,
)
from foodtrace.services.supervision.lots import RecordRef, records_for_lot
from foodtrace.services.supervision.outreach import (
    CommitmentView,
    DestructionView,
    TrainingView,
    list_commitments,
    list_destructions,
    list_trainings,
    record_commitment,
    record_destruction,
    record_training,
)
from foodtrace.services.supervision.risk import RiskRanking, risk_ranking

__all__ = [
    "can_read", "can_write",
    "record_inspection", "list_inspections", "get_inspection", "InspectionView",
    "start_campaign", "campaign_report", "list_campaigns", "CampaignReport",
    "open_case", "update_case", "get_case", "list_cases", "case_evidence", "CaseView", "CaseEvidence",
    "record_training", "record_commitment", "record_destruction", "list_trainings", "list_commitments",
    "list_destructions", "TrainingView", "CommitmentView", "DestructionView",
    "risk_ranking", "RiskRanking", "supervision_figures", "records_for_lot", "RecordRef",
]
