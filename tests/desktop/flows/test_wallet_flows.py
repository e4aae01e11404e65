"""The create-wallet and send flows, headless (no Qt)."""

from __future__ import annotations

import pytest

from core.wallet.secret import Secret
from core.wallet.send_review import SendReview
from core.wallet.sender import SendRequest
from desktop.flows.create_wallet_flow import CreateState, CreateWalletFlow
from desktop.flows.send_flow import SendFlow, SendState

PHRASE = Secret("abandon " * 11 + "about")


def test_the_phrase_is_handed_out_once_and_never_again() -> None:
    flow = CreateWalletFlow()
    flow.start("Savings")
    assert flow.take_phrase_for_display() is None  # nothing generated yet
    flow.generated(PHRASE)
    assert flow.state is CreateState.SHOWING
    assert flow.take_phrase_for_display() == PHRASE.reveal()
    assert flow.take_phrase_for_display() is None  # a second render gets nothing
    flow.written_down()
    assert flow.take_phrase_for_display() is None
    with pytest.raises(RuntimeError):
        flow.written_down()  # no way back to the phrase on screen


def test_a_refusal_returns_to_re_entry_and_cancel_forgets_the_phrase() -> None:
    flow = CreateWalletFlow()
    flow.start("Savings")
    flow.generated(PHRASE)
    flow.written_down()
    assert flow.saving() == PHRASE
    flow.refused("does not match")
    assert flow.state is CreateState.CONFIRMING and flow.holds_phrase
    flow.cancel()
    assert flow.state is CreateState.IDLE and not flow.holds_phrase
    with pytest.raises(RuntimeError):
        flow.saving()


def test_a_phrase_generated_after_cancel_is_dropped() -> None:
    flow = CreateWalletFlow()
    flow.start("Savings")
    flow.cancel()
    flow.generated(PHRASE)
    assert flow.state is CreateState.IDLE and not flow.holds_phrase


def test_saved_forgets_the_phrase() -> None:
    flow = CreateWalletFlow()
    flow.start("Savings")
    flow.generated(PHRASE)
    flow.written_down()
    flow.saving()
    flow.saved("Created")
    assert flow.state is CreateState.DONE and not flow.holds_phrase


def review() -> SendReview:
    request = SendRequest(1, 1, "0x" + "11" * 20, "1")
    return SendReview(
        request,
        "0x" + "22" * 20,
        "ETH",
        18,
        10**18,
        2 * 10**18,
        2 * 10**18,
        "ETH",
        21000,
        21000,
        42000,
        "normal",
    )


def test_one_key_per_confirmed_form_and_a_second_click_sends_nothing() -> None:
    flow = SendFlow()
    flow.start_review()
    flow.reviewed(review())
    key = flow.idempotency_key
    assert key and flow.state is SendState.CONFIRMING
    assert flow.confirm() == key
    assert flow.confirm() is None  # double click while sending
    flow.failed("network refused")
    assert flow.state is SendState.CONFIRMING and flow.confirm() == key  # a retry re-uses it


def test_editing_the_form_again_makes_a_new_key() -> None:
    flow = SendFlow()
    flow.start_review()
    flow.reviewed(review())
    first = flow.idempotency_key
    flow.back()
    assert flow.idempotency_key is None and flow.state is SendState.EDITING
    flow.start_review()
    flow.reviewed(review())
    assert flow.idempotency_key not in (None, first)


def test_no_new_review_while_sending() -> None:
    flow = SendFlow()
    flow.start_review()
    flow.reviewed(review())
    flow.confirm()
    with pytest.raises(RuntimeError):
        flow.start_review()
    flow.submitted(7, "0xabc")
    assert flow.state is SendState.SUBMITTED
    flow.finished("confirmed", "ok")
    assert flow.state is SendState.DONE
