"""Tests for lib/extract: attribution patterns, dates, page noise, gazetteers, CLI, scoring."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import subprocess
import sys
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from fixture_server import send_page, serving
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.extract import extract_statements, fetch_article, fold_speaker
from lib.extract.__main__ import main
from lib.extract.dates import event_date, resolve_date, weekday_on_or_before
from lib.extract.evaluate import (
    cross_validated_stance,
    evaluate_directory,
    group_cross_validated_stance,
    overall,
    read_pairs,
    report_lines,
    round_groups,
    spans_match,
)
from lib.extract.layout import BODY, HEADING, HEADLINE, NOISE, TEASER, classify_lines
from lib.extract.stance import PRECEDENCE, classify_stance
from lib.extract.stance_model import MODEL_PATH, Example, train, training_examples, using
from lib.gazetteer import (
    ACTORS_PATH,
    MEDIATORS_PATH,
    GazetteerError,
    fold,
    integrity_problems,
    load_gazetteer,
    read_actors,
    read_places,
)
from lib.http import FetchError
from lib.statements import STANCES, validate_records

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURE_ARTICLES = REPO_ROOT / "tests" / "fixtures" / "articles"
REAL_ARTICLES = REPO_ROOT / "tests" / "fixtures" / "real_articles"
WEDNESDAY = date(2025, 3, 12)


def _statements(text: str, published: date = WEDNESDAY):
    return extract_statements(text, published=published)


# One row per way news copy attributes speech: (text, speaker, exact quote) of the statement
# the case is about; the case's name is its id.
ATTRIBUTION_CASES = [
    pytest.param(
        '"It is quite useless to try to press on us," Kremlin spokesman Dmitry Peskov said.',
        "Dmitry Peskov",
        "It is quite useless to try to press on us",
        id="quote_then_attribution",
    ),
    pytest.param(
        'Kremlin spokesman Dmitry Peskov said: "We must first receive this information."',
        "Dmitry Peskov",
        "We must first receive this information",
        id="attribution_then_quote",
    ),
    pytest.param(
        '"We are ready to talk," said Sergei Lavrov, the Russian foreign minister.',
        "Sergei Lavrov",
        "We are ready to talk",
        id="inverted_attribution",
    ),
    pytest.param(
        "A senior European diplomat told Reuters on Monday that the talks had stalled.",
        "Senior European diplomat (unnamed)",
        "the talks had stalled",
        id="told_reuters_unnamed",
    ),
    pytest.param(
        "According to Sergei Lavrov, Moscow is ready for talks without preconditions.",
        "Sergei Lavrov",
        "Moscow is ready for talks without preconditions",
        id="according_to_speaker",
    ),
    pytest.param(
        "According to Reuters, a senior Russian official said the offer would be rejected.",
        "Senior Russian official (unnamed, via Reuters)",
        "the offer would be rejected",
        id="according_to_news_agency",
    ),
    pytest.param(
        "Russian troops captured two villages in the Donetsk region, Russia's Defence Ministry "
        "said, according to Interfax.",
        "Russian Defence Ministry",
        "Russian troops captured two villages in the Donetsk region",
        id="paraphrase_then_attribution",
    ),
    pytest.param(
        "Turkish Foreign Minister Hakan Fidan said Ankara was ready to host another round.",
        "Hakan Fidan",
        "Ankara was ready to host another round",
        id="paraphrase_without_quotes",
    ),
    pytest.param(
        "Polish Prime Minister Donald Tusk said Europe must arm itself. "
        "He added that sanctions on Moscow should be tightened.",
        "Donald Tusk",
        "sanctions on Moscow should be tightened",
        id="pronoun_he_added",
    ),
    pytest.param(
        "The leaders of France, Germany and Britain met in Kyiv. They pledged that the "
        "coalition would send peacekeepers after a ceasefire.",
        "Leaders of France, Germany and the United Kingdom",
        "the coalition would send peacekeepers after a ceasefire",
        id="pronoun_they_pledged",
    ),
    pytest.param(
        "EU foreign policy chief Kaja Kallas warned that Moscow was stalling.",
        "Kaja Kallas",
        "Moscow was stalling",
        id="title_before_name",
    ),
    pytest.param(
        "Ukraine's chief negotiator, Rustem Umerov, said Kyiv wanted a full ceasefire.",
        "Rustem Umerov",
        "Kyiv wanted a full ceasefire",
        id="appositive_title",
    ),
    pytest.param(
        "Swiss President Viola Amherd, who hosted the meeting, said a path to peace would "
        "require Russia's involvement.",
        "Viola Amherd",
        "a path to peace would require Russia's involvement",
        id="relative_clause_between",
    ),
    pytest.param(
        "The Institute for the Study of War says Russian forces advanced near Pokrovsk.",
        "Institute for the Study of War",
        "Russian forces advanced near Pokrovsk",
        id="think_tank",
    ),
    pytest.param(
        "Analysts cited by the Financial Times suggest Moscow is buying time.",
        "Analysts cited by the Financial Times",
        "Moscow is buying time",
        id="analysts_cited_by",
    ),
    pytest.param(
        "“We will not accept this ultimatum,” Zelenskiy said.",
        "Volodymyr Zelensky",
        "We will not accept this ultimatum",
        id="typographic_quotes_and_alias",
    ),
    pytest.param(
        "Ukrainian lawmaker Oleksandr Merezhko said the plan was unrealistic.",
        "Oleksandr Merezhko",
        "the plan was unrealistic",
        id="unknown_speaker_keeps_text_name",
    ),
    pytest.param(
        "A spokesperson for the Kremlin said the proposal was premature.",
        "Spokesperson for the Kremlin (unnamed)",
        "the proposal was premature",
        id="spokesperson_for_body",
    ),
    pytest.param(
        "Quote from Yermak after the talks: “We are ready to do everything for peace.”",
        "Andriy Yermak",
        "We are ready to do everything for peace",
        id="quote_from_label",
    ),
    pytest.param(
        "Kremlin spokesman Dmitry Peskov was quoted by TASS as saying that Moscow was open "
        "to talks.",
        "Dmitry Peskov",
        "Moscow was open to talks",
        id="quoted_as_saying",
    ),
    pytest.param(
        "Two drones hit the bridge overnight, Russia's National Anti-Terrorism Committee said "
        "in a statement on Telegram.",
        "Russian National Anti-Terrorism Committee",
        "Two drones hit the bridge overnight",
        id="trailing_attribution_with_circumstance",
    ),
    pytest.param(
        "Trump posted a long message on Sunday. He ended it with an appeal: “Vladimir, STOP!”",
        "Donald Trump",
        "Vladimir, STOP!",
        id="appeal_after_colon",
    ),
    pytest.param(
        "Putin agreed on Tuesday to stop strikes on energy sites, but did not accept a full "
        "ceasefire.",
        "Vladimir Putin",
        "did not accept a full ceasefire",
        id="negative_turn_after_but",
    ),
    pytest.param(
        "Zelensky said he was ready to meet in any format, but that Russia did not want peace.",
        "Volodymyr Zelensky",
        "Russia did not want peace",
        id="contrast_but_that",
    ),
    pytest.param(
        "China called for peace talks on Friday. The paper said sanctions should end.",
        "China",
        "sanctions should end",
        id="document_speaks_for_issuer",
    ),
    pytest.param(
        "President Putin proclaimed the annexation and called on Kyiv to return to talks.",
        "Vladimir Putin",
        "Kyiv to return to talks",
        id="second_verb_of_the_subject",
    ),
    pytest.param(
        "Erdogan met Putin in Sochi. The Turkish president said Ankara could host talks.",
        "Recep Tayyip Erdoğan",
        "Ankara could host talks",
        id="definite_description",
    ),
    pytest.param(
        '"Nothing should be excluded," Macron said on Monday. "Russia cannot win this war."',
        "Emmanuel Macron",
        "Russia cannot win this war",
        id="quotation_continues_in_next_sentence",
    ),
    pytest.param(
        "The Kremlin warned that such a step would make war with NATO inevitable, spokesman "
        "Dmitry Peskov told reporters.",
        "Dmitry Peskov",
        "such a step would make war with NATO inevitable",
        id="body_voiced_by_spokesperson",
    ),
    pytest.param(
        "Peskov said on Wednesday. If Kyiv stops its strikes, he said, Moscow would do the same.",
        "Dmitry Peskov",
        "If Kyiv stops its strikes, he said, Moscow would do the same",
        id="attribution_inside_condition",
    ),
    # Shapes of real pages (issue 14); each was missed before.
    pytest.param(
        "It is a good sign that they are thinking about peace. And the first step is a ceasefire."
        " - President Zelenskyy said on his social media page.",
        "Volodymyr Zelensky",
        "And the first step is a ceasefire",
        id="unquoted_speech_closed_by_dash_attribution",
    ),
    pytest.param(
        "Russia continues to prepare for the talks on Thursday. This was announced by the press "
        "secretary of the President of Russia Dmitry Peskov.",
        "Dmitry Peskov",
        "Russia continues to prepare for the talks on Thursday",
        id="this_was_announced_by",
    ),
    pytest.param(
        "Kirill Budanov spoke to TSN.\n\n"
        '"Such a meeting is still necessary to end the war," the former head of the GUR replied.',
        "Kyrylo Budanov",
        "Such a meeting is still necessary to end the war",
        id="speaker_by_former_office",
    ),
    pytest.param(
        "«We are ready to sit down at the negotiating table even tomorrow,» Vladimir Putin said "
        "at a meeting with the leadership of the Foreign Ministry.",
        "Vladimir Putin",
        "We are ready to sit down at the negotiating table even tomorrow",
        id="guillemets_and_trailing_circumstance",
    ),
    pytest.param(
        "The talks held in Istanbul were constructive, Vladimir Medinsky said as the round ended.",
        "Vladimir Medinsky",
        "The talks held in Istanbul were constructive",
        id="attribution_followed_by_a_when_clause",
    ),
    pytest.param(
        "Vladimir Medinsky spoke after the talks. The Ukrainian side submitted proposals "
        "“confirming its striving toward a neutral status. We have received these proposals,” "
        "he said.",
        "Vladimir Medinsky",
        "The Ukrainian side submitted proposals “confirming its striving toward a neutral status. "
        "We have received these proposals",
        id="quotation_closing_before_the_attribution",
    ),
    pytest.param(
        "Trump’s message came a day after the American president said he believed Russia was "
        "ready for a deal.",
        "Donald Trump",
        "he believed Russia was ready for a deal",
        id="office_holder_of_the_day",
    ),
    pytest.param(
        "MOSCOW, March 22. /TASS/. Kremlin spokesman Dmitry Peskov told reporters on Wednesday "
        "that the formula was not discussed.",
        "Dmitry Peskov",
        "the formula was not discussed",
        id="tass_dateline",
    ),
    pytest.param(
        "The talks in Istanbul have brought about the greatest progress so far, said Turkish "
        "Minister of Foreign Affairs Mevlut Cavusoglu, as quoted by Reuters.",
        "Mevlüt Çavuşoğlu",
        "The talks in Istanbul have brought about the greatest progress so far",
        id="inverted_after_prose_relayed_by_outlet",
    ),
]


@pytest.mark.parametrize(("text", "speaker", "quote"), ATTRIBUTION_CASES)
def test_attribution_patterns(text: str, speaker: str, quote: str) -> None:
    candidates = _statements(text)
    found = {(candidate.speaker, candidate.quote) for candidate in candidates}
    assert (speaker, quote) in found, found
    for candidate in candidates:
        assert text[candidate.char_start : candidate.char_end] == candidate.quote


# Round 3 of issue 14: one row per kind of miss seen on real pages, in sentences written for
# the test: (text, the only speaker the text may yield, a quote that must be among its
# statements).
ROUND_3_CASES = [
    pytest.param(
        "Foreign Minister Andrii Sybiha spoke in Kyiv. Those proposals were still on the table, "
        "he said.",
        "Andrii Sybiha",
        "Those proposals were still on the table",
        id="sentence_opening_word_is_no_speaker",
    ),
    pytest.param(
        "The head of Ukraine's defence intelligence, Kyrylo Budanov, gave an interview on Monday. "
        "According to the DIU chief, the front is stable.",
        "Kyrylo Budanov",
        "the front is stable",
        id="role_by_body_and_title",
    ),
    pytest.param(
        "Sergei Lavrov met his Turkish counterpart in Ankara. The head of the Ministry of Foreign "
        "Affairs promised to study the proposal.",
        "Sergei Lavrov",
        "to study the proposal",
        id="role_head_of_ministry_is_its_minister",
    ),
    pytest.param(
        "Russia is open to talks, Kremlin spokesman Dmitry Peskov said on May 3, according to the "
        "TASS news agency.",
        "Dmitry Peskov",
        "Russia is open to talks",
        id="occasion_and_relay_after_attribution",
    ),
    pytest.param(
        '"The demands are unrealistic," the BBC quoted a Ukrainian official as saying.',
        "Ukrainian official (unnamed, via BBC)",
        "The demands are unrealistic",
        id="quoted_as_saying",
    ),
    pytest.param(
        "The meeting ended without a breakthrough, Reuters reported, citing the Turkish foreign "
        "ministry.",
        "Turkish foreign ministry",
        "The meeting ended without a breakthrough",
        id="reported_citing_a_source",
    ),
    pytest.param(
        "According to a source in the Ukrainian delegation, Moscow made demands that Kyiv said "
        "were unacceptable.",
        "Source in the Ukrainian delegation (unnamed)",
        "Moscow made demands that Kyiv said were unacceptable",
        id="relative_clause_stays_in_the_account",
    ),
    pytest.param(
        "Mykhailo Podolyak spoke after the talks.\nIn addition, Mykhailo Podolyak said:\n"
        "“The documents are ready for the presidents to sign.”",
        "Mykhailo Podolyak",
        "The documents are ready for the presidents to sign",
        id="said_colon_after_an_opening_phrase",
    ),
    pytest.param(
        "Steve Witkoff will travel to Moscow next week.\nThe visit was confirmed by Kremlin aide "
        "Yuri Ushakov on Wednesday.",
        "Yuri Ushakov",
        "Steve Witkoff will travel to Moscow next week",
        id="speaker_named_in_the_next_sentence",
    ),
    pytest.param(
        "Kremlin spokesman Dmitry Peskov spoke on Friday. President Vladimir Putin remained open "
        "to talks with all sides, he added.",
        "Dmitry Peskov",
        "President Vladimir Putin remained open to talks with all sides",
        id="closing_pronoun_is_the_last_speaker",
    ),
    pytest.param(
        "Kremlin spokesman Dmitry Peskov said the talks were useful.\nThere are no agreements on "
        "a new round yet, the press secretary added.",
        "Dmitry Peskov",
        "There are no agreements on a new round yet",
        id="role_anaphor_after_an_opening_there",
    ),
    pytest.param(
        "Kyiv is ready to meet in Istanbul, according to President Volodymyr Zelensky on Telegram.",
        "Volodymyr Zelensky",
        "Kyiv is ready to meet in Istanbul",
        id="venue_is_no_speaker",
    ),
    pytest.param(
        "Turkish President Recep Tayyip Erdogan held a call with Emmanuel Macron, during which "
        "he stressed that Ankara is ready to host talks.",
        "Recep Tayyip Erdoğan",
        "Ankara is ready to host talks",
        id="pronoun_opening_a_relative_clause",
    ),
    pytest.param(
        "Donald Trump is convinced that both sides can start talks this week.",
        "Donald Trump",
        "both sides can start talks this week",
        id="convinced_that",
    ),
    pytest.param(
        "Vladimir Putin rejected the European truce proposal on Saturday and suggested resuming "
        "direct talks in Istanbul.",
        "Vladimir Putin",
        "resuming direct talks in Istanbul",
        id="offer_after_a_rejection",
    ),
    pytest.param(
        "Dmitry Peskov said Moscow was open to negotiations but was not ready to back the full "
        "ceasefire.",
        "Dmitry Peskov",
        "was not ready to back the full ceasefire",
        id="refusal_after_bare_but",
    ),
    pytest.param(
        "Before Moscow confirmed the date, Donald Trump told reporters that the talks would be "
        "held soon.",
        "Donald Trump",
        "the talks would be held soon",
        id="time_clause_is_no_attribution",
    ),
    pytest.param(
        "Donald Trump revealed that during his call with Vladimir Putin, he urged the Russian "
        "leader to spare the soldiers.",
        "Donald Trump",
        "the Russian leader to spare the soldiers",
        id="circumstance_before_a_pronoun_attribution",
    ),
    pytest.param(
        "European leaders met in Kyiv on Saturday. However, Vladimir Putin effectively rejected "
        "the truce plan on Sunday. He offered to resume talks in Istanbul.",
        "Vladimir Putin",
        "to resume talks in Istanbul",
        id="adverb_between_subject_and_verb",
    ),
    pytest.param(
        "Andriy Yermak said the talks were useful.\nYermak said the plan would likely need two "
        "summits, one to adopt a framework and another one to sign the fi",
        "Andriy Yermak",
        "the plan would likely need two summits, one to adopt a framework and another one to "
        "sign the fi",
        id="excerpt_cut_off_mid_sentence",
    ),
    pytest.param(
        "Foreign Minister Dmytro Kuleba spoke on Monday. Kuleba’s caveat was that Russia may "
        "only take part if its leaders face a tribunal.",
        "Dmytro Kuleba",
        "Russia may only take part if its leaders face a tribunal",
        id="view_named_as_a_noun",
    ),
    pytest.param(
        "Kremlin spokesman Dmitry Peskov spoke on Monday.\n\nWe are ready to meet in Geneva "
        "next week. There is no time to lose. — Volodymyr Zelenskyy / Володимир Зеленський "
        "(@ZelenskyyUa) May 11, 2025\n",
        "Volodymyr Zelensky",
        "We are ready to meet in Geneva next week",
        id="post_signed_at_its_end",
    ),
    pytest.param(
        "Foreign ministers met in Brussels on Monday.\n\nWe will talk in any format once the "
        "guns fall silent.\n\nAndriy Sybiga\n\nMinister of Foreign Affairs of Ukraine\n",
        "Andrii Sybiha",
        "We will talk in any format once the guns fall silent",
        id="quote_signed_on_the_next_line",
    ),
    pytest.param(
        "Kyiv is ready to talk, according to President Volodymyr Zelensky.\nThe head of state "
        'called it "a good sign" that Moscow was considering a truce.',
        "Volodymyr Zelensky",
        'it "a good sign" that Moscow was considering a truce',
        id="head_of_state_after_according_to",
    ),
    pytest.param(
        "Moscow has written off the meeting in Jeddah as doomed to fail.",
        "Russia",
        "the meeting in Jeddah as doomed to fail",
        id="written_off",
    ),
    pytest.param(
        "Ukraine, on the other hand, insists on a truce without preconditions.",
        "Ukraine",
        "on a truce without preconditions",
        id="on_the_other_hand_parenthetical",
    ),
    pytest.param(
        "Russia is concerned that Kyiv only wants to delay with endless talks.",
        "Russia",
        "Kyiv only wants to delay with endless talks",
        id="concerned_that",
    ),
    pytest.param(
        "Moscow is offering to resume the talks in Istanbul next week.",
        "Russia",
        "to resume the talks in Istanbul next week",
        id="is_offering_to",
    ),
    pytest.param(
        "Volodymyr Zelensky said he is ready to meet Donald Trump. He hopes the meeting can "
        "happen before the end of the month.",
        "Volodymyr Zelensky",
        "the meeting can happen before the end of the month",
        id="hopes_opening_a_sentence",
    ),
    pytest.param(
        "Donald Trump said he hoped Ukraine would not need the missiles. Ukraine hopes the "
        "talks will help.",
        "Donald Trump",
        "he hoped Ukraine would not need the missiles",
        id="hoped_inside_reported_speech",
    ),
    pytest.param(
        "Kremlin spokesman Dmitry Peskov said the talks would go on.\n“Our terms are known. The "
        "other side must now decide,” Pace said Koff said.",
        "Dmitry Peskov",
        "Our terms are known",
        id="garbled_attribution_is_the_last_quoted",
    ),
    pytest.param(
        "Donald Trump spoke to reporters on Friday. He also issued a warning about severe "
        "consequences if Moscow walks away from the talks.",
        "Donald Trump",
        "a warning about severe consequences if Moscow walks away from the talks",
        id="issued_a_warning",
    ),
]


@pytest.mark.parametrize(("text", "speaker", "quote"), ROUND_3_CASES)
def test_round_3_attribution_misses(text: str, speaker: str, quote: str) -> None:
    candidates = _statements(text)
    assert (speaker, quote) in {(candidate.speaker, candidate.quote) for candidate in candidates}
    assert {candidate.speaker for candidate in candidates} == {speaker}
    assert not any(candidate.quote.startswith("during ") for candidate in candidates)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Ukraine will not give up any land. Kyrylo Budanov said this in an interview.",
            id="said_this_refers_back",
        ),
        pytest.param(
            "Kremlin spokesman Dmitry Peskov recalled that on Tuesday, when summing up the visit, "
            "Vladimir Putin reported on the discussion of the plan.",
            id="report_on_a_topic",
        ),
        pytest.param(
            "The parties later accused each other of breaking the truce.", id="plural_common_noun"
        ),
        pytest.param(
            "Foreign Ministry spokeswoman Maria Zakharova offered a comment on the Jeddah talks.",
            id="offered_a_comment_on",
        ),
        pytest.param(
            "Moscow made no offer, nor has Donald Trump asked for any concessions.",
            id="verb_negated_by_nor",
        ),
    ],
)
def test_round_3_sentences_without_statements(text: str) -> None:
    assert _statements(text) == []


def test_misused_opening_mark_closes_a_quotation() -> None:
    text = (
        "Donald Trump added, “We want the fighting to stop. God bless them all!!!“\n"
        "Meanwhile, Vladimir Putin toured a factory in the Urals on Thursday."
    )
    candidates = _statements(text)
    assert [candidate.speaker for candidate in candidates] == ["Donald Trump"]
    assert "Putin" not in candidates[0].quote


def test_an_omission_after_but_is_no_refusal() -> None:
    text = "Kremlin aide Yuri Ushakov confirmed the venue, but did not provide a start time."
    assert [candidate.quote for candidate in _statements(text)] == ["the venue"]


def test_a_name_caption_does_not_take_over_reported_speech() -> None:
    text = "Vladimir Putin said the talks were useful.\n\nVolodymyr Zelensky\n"
    assert [candidate.speaker for candidate in _statements(text)] == ["Vladimir Putin"]


def test_outlet_summary_is_not_a_statement() -> None:
    text = (
        "Earlier Reuters reported, citing its sources, that Russia had presented a list of "
        "demands to the United States. Kremlin spokesman Dmitry Peskov said the talks would go on."
    )
    assert [candidate.speaker for candidate in _statements(text)] == ["Dmitry Peskov"]


def test_text_introduced_on_its_own_line_is_the_introducers() -> None:
    text = (
        "Putin wants talks.\n\nPresident Trump announced the following:\n\n"
        "“Putin wants to meet on Thursday, in Turkey, to negotiate. Ukraine should agree to "
        "this, IMMEDIATELY.\n\n“At least they will be able to determine whether a deal is "
        "possible!”\n"
    )
    assert [(c.speaker, c.quote[:20]) for c in _statements(text)] == [
        ("Donald Trump", "Putin wants to meet "),
        ("Donald Trump", "Ukraine should agree"),
        ("Donald Trump", "At least they will b"),
    ]


def test_real_page_layouts() -> None:
    """Hard line breaks inside sentences, a lost space after a full stop, a quotation running
    over paragraphs (opened on each, closed on the last), interview questions in brackets."""
    wrapped = (
        "Putin says Ukraine must withdraw\n\n"
        '"As soon as Kyiv says it is ready to do this and begins really withdrawing troops from '
        'the four\nregions, we will cease fire and begin talks," Putin\nsaid.Zelensky told Sky '
        'TG24: "These messages are ultimatum messages."\n'
    )
    assert [(c.speaker, c.quote[:20]) for c in _statements(wrapped)] == [
        ("Vladimir Putin", "As soon as Kyiv says"),
        ("Volodymyr Zelensky", "These messages are u"),
    ]
    running = (
        "Press secretary Serhiy Nykyforov was quoted as saying on Friday: “Ukraine has been and "
        "remains ready to talk about a ceasefire.\n\n“The sooner negotiations begin, the better.”\n"
    )
    assert [(c.speaker, c.quote) for c in _statements(running)] == [
        ("Serhiy Nykyforov", "Ukraine has been and remains ready to talk about a ceasefire"),
        ("Serhiy Nykyforov", "The sooner negotiations begin, the better"),
    ]
    interview = (
        'Kyrylo Budanov said: "It never got in the way. [Do you hear anything adequate?] '
        'Unfortunately, yes. [Do you have something to push?] There is more."\n'
    )
    assert [c.quote for c in _statements(interview)] == [
        "It never got in the way",
        "Unfortunately, yes",
        "There is more",
    ]


def test_first_person_points_after_their_speaker_is_named() -> None:
    text = (
        "The first outcomes were announced by David Arahamiya, head of the delegation.\n\n"
        "▪ We see Turkey as one of the guarantors of security for Ukraine.\n\n"
        "▪ Ukraine sees Canada and Poland as guarantors.\n"
    )
    assert [(c.speaker, c.mediators) for c in _statements(text)] == [
        ("David Arakhamia", ["Turkey"]),
        ("David Arakhamia", ["Canada", "Poland"]),
    ]


def test_institution_speaks_through_its_spokesperson() -> None:
    text = (
        "The Kremlin said on Wednesday that there were many nuances to work out.\n\n"
        '"This work is ongoing," Kremlin spokesman Dmitry Peskov told reporters.\n'
    )
    assert [c.speaker for c in _statements(text)] == ["Dmitry Peskov", "Dmitry Peskov"]


def test_a_demand_and_its_rejection_are_two_statements() -> None:
    text = (
        "According to Al Jazeera, Moscow demanded the withdrawal of Ukrainian forces as a "
        "condition for a ceasefire, which Kiev rejected."
    )
    assert [(c.speaker, c.quote, c.stance) for c in _statements(text)] == [
        (
            "Russia",
            "the withdrawal of Ukrainian forces as a condition for a ceasefire",
            "condition",
        ),
        ("Ukraine", "which Kiev rejected", "rejection"),
    ]


def test_sentences_with_different_jobs_in_one_quotation_are_split() -> None:
    text = (
        "Sybiha said: \"Russia has not responded to our document. We demand Russia's reply. "
        'Each day of silence from them proves their wish to prolong the war."'
    )
    with using(None):  # the cue rules' labels; the learned model may guess the first one
        candidates = _statements(text)
    assert [(c.quote, c.stance) for c in candidates] == [
        ("Russia has not responded to our document", "other"),
        ("We demand Russia's reply", "pressure"),
        ("Each day of silence from them proves their wish to prolong the war", "skepticism"),
    ]


def test_two_clauses_with_different_jobs_are_split() -> None:
    text = (
        '"The ball is now in their court," Rubio told reporters after the meeting, '
        "adding that Washington would take the offer to Moscow."
    )
    candidates = _statements(text)
    assert [(c.speaker, c.quote, c.stance) for c in candidates] == [
        ("Marco Rubio", "The ball is now in their court", "pressure"),
        ("Marco Rubio", "Washington would take the offer to Moscow", "proposal"),
    ]


def test_embedded_speaker_does_not_capture_the_next_pronoun() -> None:
    text = (
        "A German government official told Reuters that Europe should coordinate with "
        "Washington, especially after US Secretary of State Marco Rubio said the talks had "
        "reached an impasse.\n\nHe added that any negotiations must be coordinated with Ukraine."
    )
    candidates = _statements(text)
    assert [c.speaker for c in candidates] == [
        "German government official (unnamed)",
        "Marco Rubio",
        "German government official (unnamed)",
    ]
    assert candidates[0].quote == "Europe should coordinate with Washington"


def test_pronoun_resolves_across_a_teaser_block() -> None:
    text = (
        "President Volodymyr Zelensky said Russia was losing the initiative.\n\n"
        "Related news\n"
        "Serbia to bring back military service\n"
        "Serbian President Aleksandar Vucic has announced a 75-day military service.\n\n"
        "In an interview aired Sunday, he said the strikes were a response to setbacks.\n"
    )
    candidates = _statements(text)
    assert [(c.speaker, c.on_topic) for c in candidates] == [
        ("Volodymyr Zelensky", True),
        ("Aleksandar Vučić", False),
        ("Volodymyr Zelensky", True),
    ]
    assert candidates[1].stance == "other"
    assert candidates[2].date == date(2025, 3, 9)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Putin did not say whether he would travel to Istanbul.", id="negated_verb"),
        pytest.param(
            "A three-day truce Moscow had declared for the holiday expired on Saturday.",
            id="subject_not_opening_a_clause",
        ),
        pytest.param(
            "The talks with Sergei Lavrov lasted two hours and ended without a statement.",
            id="no_reporting_verb",
        ),
        # Round 7: acts and topics reported without anyone's words.
        pytest.param(
            "Last week, Macron called Erdogan to discuss the grain corridor, in a move that "
            "surprised Kyiv.",
            id="called_to_discuss",
        ),
        pytest.param(
            "The envoy concluded a four-hour meeting with the Turkish president.",
            id="concluded_a_meeting",
        ),
        pytest.param(
            "The two ministers met in Doha, according to a photo released by the Qatari ministry.",
            id="according_to_a_photo",
        ),
        pytest.param(
            "Foreign Minister Sergei Lavrov commented on the visit of the Turkish delegation.",
            id="commented_on_a_topic",
        ),
    ],
)
def test_sentences_without_statements(text: str) -> None:
    assert _statements(text) == []


def test_reporting_verbs_inside_quotations_are_not_attributions() -> None:
    text = "“There is what Russia says and there is what Russia does,” Blinken told reporters."
    candidates = _statements(text)
    assert [(c.speaker, c.stance) for c in candidates] == [("Antony Blinken", "skepticism")]


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        pytest.param("Peskov said on Wednesday", date(2025, 3, 12), id="weekday_is_published"),
        pytest.param("told CBS on Sunday", date(2025, 3, 9), id="weekday_before"),
        pytest.param("last Wednesday he said", date(2025, 3, 12), id="last_weekday"),
        pytest.param("on 10 March, she said", date(2025, 3, 10), id="explicit_day_month"),
        pytest.param("said on March 10, 2024", date(2024, 3, 10), id="explicit_with_year"),
        pytest.param("cautioned later in the day", date(2025, 3, 11), id="later_in_the_day"),
        pytest.param("after the talks, he said", date(2025, 3, 11), id="after_the_talks"),
        pytest.param("said yesterday", date(2025, 3, 11), id="yesterday"),
        pytest.param("he said", None, id="no_clue"),
    ],
)
def test_resolve_date(context: str, expected: date | None) -> None:
    found = resolve_date(context, WEDNESDAY, previous=date(2025, 3, 11), event=date(2025, 3, 11))
    assert found == expected


def test_weekday_on_or_before_never_goes_forward() -> None:
    for offset in range(7):
        day = date(2025, 3, 10 + offset)
        for name in ("monday", "friday", "sunday"):
            resolved = weekday_on_or_before(name, day)
            assert resolved <= day
            assert (day - resolved).days < 7
            assert resolved.strftime("%A").lower() == name


def test_event_date_ignores_future_meetings() -> None:
    sentences = [
        "Putin proposed talks in Istanbul on Thursday, May 15.",
        "Talks in Jeddah on Tuesday ended late.",
    ]
    assert event_date(sentences, date(2025, 5, 11)) == date(2025, 5, 6)


def test_publication_date_defaults_to_the_byline() -> None:
    text = (
        "Talks in Istanbul\n\nBy Wire Staff | May 11, 2025\n\n"
        "Kremlin spokesman Dmitry Peskov said on Saturday that Moscow would think about it.\n"
    )
    (candidate,) = extract_statements(text)
    assert candidate.date == date(2025, 5, 10)


def test_statement_dates_from_text() -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov said on Sunday that Moscow would study the plan.\n\n"
        "Later in the day, he said the plan had flaws.\n\n"
        "Foreign Minister Sergei Lavrov said Russia wanted guarantees."
    )
    candidates = _statements(text)
    assert [c.date for c in candidates] == [date(2025, 3, 9), date(2025, 3, 9), WEDNESDAY]


NOISY_ARTICLE = """Talks resume in Istanbul

By Wire Staff | March 12, 2025

Advertisement

Read also: Drone attack hits Moscow region

Kremlin spokesman Dmitry Peskov said Moscow was ready for another round.

The Kremlin's reaction

Most read
Oscars host apologises after joke
In a post on Monday, the host said the joke was "unacceptable".

To suggest a correction, please contact our editors.
You can also highlight the text and press Ctrl + Enter
"""


def test_layout_classifies_page_furniture() -> None:
    lines = classify_lines(NOISY_ARTICLE)
    kinds = {NOISY_ARTICLE[line.start : line.end]: line.kind for line in lines}
    assert kinds["Talks resume in Istanbul"] == HEADLINE
    assert kinds["By Wire Staff | March 12, 2025"] == NOISE
    assert kinds["Advertisement"] == NOISE
    assert kinds["Read also: Drone attack hits Moscow region"] == NOISE
    assert kinds["The Kremlin's reaction"] == HEADING
    assert kinds["Most read"] == NOISE
    assert kinds["Oscars host apologises after joke"] == TEASER
    assert kinds['In a post on Monday, the host said the joke was "unacceptable".'] == TEASER
    assert kinds["To suggest a correction, please contact our editors."] == NOISE
    assert kinds["You can also highlight the text and press Ctrl + Enter"] == NOISE
    assert kinds["Kremlin spokesman Dmitry Peskov said Moscow was ready for another round."] == BODY


def test_a_list_of_teasers_stays_off_topic() -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov said Moscow was ready for talks.\n\n"
        "Related news\n"
        "Floods in Spain\n"
        "Spain's interior minister said on Tuesday that 200 people had been rescued.\n"
        "Elections in Georgia\n"
        "Georgian President Salome Zourabichvili said the vote had been stolen.\n\n"
        "Reactions\n\n"
        "EU foreign policy chief Kaja Kallas said Russia was stalling.\n"
    )
    assert [(c.speaker, c.on_topic) for c in _statements(text)] == [
        ("Dmitry Peskov", True),
        ("Spanish interior minister (unnamed)", False),
        ("Salome Zourabichvili", False),
        ("Kaja Kallas", True),
    ]


def test_noise_never_becomes_an_on_topic_statement() -> None:
    candidates = _statements(NOISY_ARTICLE)
    on_topic = [c for c in candidates if c.on_topic]
    assert [c.speaker for c in on_topic] == ["Dmitry Peskov"]
    teaser = [c for c in candidates if not c.on_topic]
    assert [(c.quote, c.stance, c.date) for c in teaser] == [
        ('the joke was "unacceptable"', "other", date(2025, 3, 10))
    ]


def test_candidates_are_valid_store_records() -> None:
    text = (FIXTURE_ARTICLES / "2024-02-18_avdiivka.txt").read_text(encoding="utf-8")
    candidates = extract_statements(
        text, published=date(2024, 2, 18), source_name="fixture", source_url="https://example.org/a"
    )
    records = [candidate.to_record() for candidate in candidates]
    valid, problems = validate_records(records)
    assert problems == []
    assert len(valid) == len(records) > 5


def test_mediators_exclude_the_warring_parties() -> None:
    text = (
        "Zelensky pointed to a possible framework involving the UK, France, Germany, Nordic "
        "countries, and Turkey, which has facilitated prisoner exchanges with Russia."
    )
    (candidate,) = _statements(text)
    assert candidate.mediators == [
        "United Kingdom",
        "France",
        "Germany",
        "Nordic countries",
        "Turkey",
    ]
    assert candidate.stance == "proposal"


def test_stance_labels_are_the_store_labels() -> None:
    assert {label for label, _ in PRECEDENCE} <= set(STANCES)
    assert classify_stance("anything at all", on_topic=False) == "other"


@pytest.mark.parametrize(
    ("quote", "verb", "stance"),
    [
        pytest.param("Moscow would need to think about it", "said", "openness", id="openness"),
        pytest.param(
            "Kyiv remains open to a negotiated settlement", "said", "openness", id="remains_open_to"
        ),
        pytest.param(
            "Moscow is not presently ready to engage in direct talks with Kyiv",
            "said",
            "rejection",
            id="not_ready_to_engage_in_talks",
        ),
        pytest.param(
            "the aggressor must be stopped before it attacks other countries",
            "said",
            "pressure",
            id="must_be_stopped",
        ),
        pytest.param(
            "a meeting would only be possible once a treaty is drafted",
            "said",
            "condition",
            id="only_once_is_condition",
        ),
        pytest.param(
            "a window exists, but only if pressure on Russia increases through sanctions",
            "said",
            "pressure",
            id="only_if_sanctions_is_pressure",
        ),
        pytest.param("Moscow meet in Istanbul on Thursday", "proposed", "proposal", id="proposal"),
        pytest.param("the talks had reached an impasse", "said", "impasse", id="impasse"),
        pytest.param("Russia is laying a trap", "warned", "skepticism", id="skepticism"),
        pytest.param("it is useless to press on us", "said", "rejection", id="rejection"),
        pytest.param("forces retook 86% of the area", "said", "battlefield_claim", id="battle"),
        pytest.param("we must receive this information first", "said", "other", id="procedure"),
        pytest.param(
            "it would not comment publicly on any of them, some of them fake news",
            "said",
            "other",
            id="no_comment_is_procedure",
        ),
        pytest.param(
            "there is nothing substantive yet; we just need to be patient",
            "said",
            "other",
            id="be_patient_is_procedure",
        ),
        pytest.param(
            "he did not rule out talks on the condition that Russia keeps a land link",
            "said",
            "condition",
            id="not_ruled_out_is_no_rejection",
        ),
        pytest.param(
            "Ukraine refuses to join military unions or host foreign bases",
            "said",
            "other",
            id="refuse_to_join_is_no_rejection",
        ),
        pytest.param(
            "He is not in any position to dictate to Ukraine what they must do",
            "said",
            "rejection",
            id="not_in_any_position_to_dictate",
        ),
        pytest.param(
            "Moscow seeks a truce in order to build up its forces",
            "said",
            "skepticism",
            id="truce_to_regroup_is_skepticism",
        ),
        pytest.param(
            "there are many nuances that need to be worked out",
            "said",
            "skepticism",
            id="nuances_is_skepticism",
        ),
        pytest.param(
            "the approach is aimed at continuing hostilities",
            "said",
            "skepticism",
            id="continuing_hostilities_is_skepticism",
        ),
        pytest.param(
            "the very first step in ending any war is a ceasefire",
            "said",
            "condition",
            id="first_step_is_ceasefire_is_condition",
        ),
        pytest.param(
            "After a ceasefire, we are ready to sit down in any format",
            "said",
            "condition",
            id="ready_after_ceasefire_is_condition",
        ),
        pytest.param(
            "Moscow would be ready tomorrow if Ukrainian forces withdraw from four regions",
            "said",
            "condition",
            id="if_forces_withdraw_is_condition",
        ),
        pytest.param(
            "the Ukrainian government to withdraw from four regions",
            "called on",
            "condition",
            id="called_on_to_withdraw_is_condition",
        ),
        pytest.param(
            "Ukraine would need to give up its bid to join Nato",
            "said",
            "condition",
            id="would_need_to_is_condition",
        ),
        pytest.param(
            "a settlement will be difficult without resolving the territorial issue",
            "warned",
            "condition",
            id="without_resolving_is_condition",
        ),
        pytest.param(
            "territorial questions remain the primary obstacle to a settlement",
            "stressed",
            "condition",
            id="primary_obstacle_is_condition",
        ),
        pytest.param(
            "I can only reiterate that much of it does not correspond to reality",
            "said",
            "other",
            id="can_only_reiterate_is_no_condition",
        ),
        pytest.param(
            "Russia to confirm the ceasefire from May 12",
            "expects",
            "condition",
            id="expects_to_confirm_ceasefire",
        ),
        pytest.param(
            "now the ball is on the Russian side", "said", "pressure", id="ball_on_their_side"
        ),
        pytest.param("Lets get the Peace Deal DONE!", "wrote", "pressure", id="get_it_done"),
        pytest.param(
            "Ukraine should want to end this bloodbath", "said", "pressure", id="side_should_want"
        ),
        pytest.param(
            "Washington could abandon its role if there was no progress on a deal soon",
            "warned",
            "pressure",
            id="if_no_progress_is_threat",
        ),
        pytest.param(
            "it is important to receive the document in advance",
            "noted",
            "other",
            id="in_advance_is_no_front",
        ),
        pytest.param(
            "THOUSANDS OF UKRAINIAN TROOPS ARE COMPLETELY SURROUNDED",
            "wrote",
            "battlefield_claim",
            id="surrounded_is_battlefield",
        ),
        pytest.param(
            "We will hold another meeting within a month", "told", "proposal", id="will_hold"
        ),
        pytest.param(
            "granting Russia the regions would be the quickest path to a ceasefire",
            "told",
            "proposal",
            id="quickest_path_is_proposal",
        ),
        pytest.param(
            "the two leaders are discussing coming together to negotiate",
            "said",
            "proposal",
            id="coming_together_is_proposal",
        ),
        pytest.param(
            "We are also taking two steps to de-escalate the conflict",
            "said",
            "proposal",
            id="taking_steps_is_proposal",
        ),
        pytest.param(
            "Kyiv would accept neutral status in return for security guarantees",
            "said",
            "proposal",
            id="terms_swap_is_proposal",
        ),
        pytest.param(
            "all attendees declared allegiance to sovereignty and territorial integrity",
            "said",
            "openness",
            id="backed_principle_is_openness",
        ),
        pytest.param(
            "the mediators remained open to talks with every side",
            "said",
            "openness",
            id="remained_open_to",
        ),
        pytest.param(
            "Kyiv is ready for direct talks with Moscow",
            "said",
            "openness",
            id="ready_to_talk_is_openness",
        ),
        pytest.param(
            "the two teams have made real progress on the draft plan",
            "said",
            "openness",
            id="progress_report_is_openness",
        ),
        pytest.param(
            "the sides reached a common understanding on the outline",
            "said",
            "openness",
            id="reached_understanding_is_openness",
        ),
        pytest.param(
            "the envoy will meet with Ukrainian officials on Friday",
            "said",
            "other",
            id="diary_date_is_other",
        ),
        pytest.param(
            "the ministry has no plans to comment on the meeting",
            "said",
            "other",
            id="no_plans_to_comment_is_other",
        ),
        pytest.param(
            "he had not set a deadline for a deal",
            "said",
            "other",
            id="no_deadline_is_other",
        ),
        pytest.param(
            "the talks ended without a breakthrough",
            "said",
            "impasse",
            id="without_a_breakthrough_is_impasse",
        ),
        pytest.param(
            "Moscow was not ready to back the truce plan",
            "said",
            "rejection",
            id="not_ready_to_back_is_rejection",
        ),
        pytest.param(
            "he hopes Moscow will not come up with new excuses",
            "said",
            "skepticism",
            id="excuses_is_skepticism",
        ),
        pytest.param(
            "some details need to be settled before a halt to strikes",
            "said",
            "condition",
            id="settled_before_is_condition",
        ),
        pytest.param(
            "the plan was not discussed at the meeting",
            "said",
            "other",
            id="not_discussed_is_procedure",
        ),
        pytest.param(
            "Moscow may only participate with the condition that its leaders face war crimes "
            "trials",
            "said",
            "condition",
            id="with_the_condition_that",
        ),
        pytest.param(
            "we are ready for talks in any format as soon as Russia stops its propaganda truce",
            "said",
            "condition",
            id="readiness_as_soon_as_is_condition",
        ),
        pytest.param(
            "We await a full and lasting ceasefire from tomorrow",
            "said",
            "condition",
            id="awaited_ceasefire_is_condition",
        ),
        pytest.param(
            "the timing is still undecided, but the invitation stands",
            "said",
            "other",
            id="undecided_timing_is_procedure",
        ),
        pytest.param(
            "Moscow’s participation", "confirmed", "openness", id="confirmed_participation"
        ),
        pytest.param(
            "the decree must be revoked if negotiations were to continue",
            "said",
            "condition",
            id="terms_for_talks_worded_as_a_demand",
        ),
        pytest.param("the talks are a good sign", "called", "openness", id="good_sign_is_openness"),
        pytest.param(
            "the states agreed on the main principles of a settlement",
            "said",
            "openness",
            id="agreed_on_is_openness",
        ),
        pytest.param(
            "Kyiv only wants to delay with endless talks",
            "said",
            "skepticism",
            id="wants_to_delay_is_skepticism",
        ),
        pytest.param(
            "our offer to halt strikes on ports remains on the table",
            "said",
            "proposal",
            id="offer_on_the_table_is_proposal",
        ),
        pytest.param(
            "Kyiv called for an extension of the holiday truce and a halt to strikes",
            "said",
            "proposal",
            id="extension_of_truce_is_proposal",
        ),
        pytest.param(
            "it was ready for a full ceasefire on land and at sea for at least 30 days",
            "said",
            "proposal",
            id="ceasefire_with_duration_is_proposal",
        ),
        pytest.param(
            "they have invited us to come, which is a significant step",
            "said",
            "openness",
            id="significant_step_is_openness",
        ),
        pytest.param(
            "for the first time a direct exchange of views took place",
            "said",
            "openness",
            id="exchange_of_views_is_openness",
        ),
        pytest.param("Russia is open to negotiations", "said", "openness", id="open_to"),
        pytest.param(
            "the talks were very good", "described", "openness", id="very_good_is_openness"
        ),
        pytest.param(
            "everything the president said on May 11 remains valid",
            "said",
            "openness",
            id="remains_valid_is_openness",
        ),
        pytest.param(
            "Moscow has no preconditions for a new round in Geneva",
            "said",
            "openness",
            id="no_preconditions_is_openness",
        ),
        pytest.param(
            "the EU will adopt tougher sanctions on Moscow unless the shelling stops by Friday",
            "said",
            "pressure",
            id="sanctions_unless_is_pressure",
        ),
        pytest.param(
            "a deal now depends on the position of Kyiv",
            "said",
            "pressure",
            id="depends_on_a_side_is_pressure",
        ),
        pytest.param(
            "the army will continue fighting unless Kyiv withdraws from the region",
            "vowed",
            "condition",
            id="unless_is_condition",
        ),
        pytest.param(
            "a durable settlement is unlikely without settling the border disputes",
            "said",
            "condition",
            id="unlikely_without_settling_is_condition",
        ),
        pytest.param(
            "she would sign a peace treaty at once if Russia pulled back its troops",
            "said",
            "condition",
            id="would_if_a_side_is_condition",
        ),
        pytest.param(
            "she hoped to hold a winter summit in Vienna to discuss her peace vision",
            "said",
            "proposal",
            id="hopes_to_host_a_meeting_is_proposal",
        ),
        pytest.param(
            "Moscow will make concessions too", "said", "openness", id="will_make_concessions"
        ),
        pytest.param(
            "the offer of a summit", "brushed off", "rejection", id="brushed_off_is_rejection"
        ),
        pytest.param(
            "we do not recognise the seized districts as theirs",
            "said",
            "rejection",
            id="do_not_recognise_is_rejection",
        ),
        pytest.param(
            "the country will not surrender its land for a truce",
            "said",
            "rejection",
            id="will_not_surrender_is_rejection",
        ),
        pytest.param(
            "talks with the other side are impossible for now",
            "said",
            "impasse",
            id="talks_impossible_is_impasse",
        ),
        pytest.param(
            "there is no basis for negotiations at the moment",
            "said",
            "impasse",
            id="no_basis_for_talks_is_impasse",
        ),
        pytest.param(
            "the border line remains a key hurdle", "said", "impasse", id="hurdle_is_impasse"
        ),
        pytest.param(
            "the border is the last remaining sticking point",
            "said",
            "other",
            id="last_sticking_point_is_not_impasse",
        ),
        pytest.param(
            "the pause would let the army regroup", "said", "skepticism", id="regroup_is_doubt"
        ),
        pytest.param(
            "they want a stronger position before any truce",
            "said",
            "skepticism",
            id="stronger_position_is_doubt",
        ),
        pytest.param(
            "a full truce is a prerequisite for talks",
            "said",
            "condition",
            id="prerequisite_is_condition",
        ),
        pytest.param(
            "the aggressor would first need to face a tribunal",
            "said",
            "condition",
            id="first_need_is_condition",
        ),
        pytest.param(
            "our troops hold the upper hand near the river",
            "said",
            "battlefield_claim",
            id="upper_hand_is_battlefield",
        ),
        pytest.param(
            "send the shells without further delay",
            "urged",
            "pressure",
            id="without_delay_is_not_doubt",
        ),
        pytest.param(
            "the minister accused the envoy of lecturing instead of negotiating",
            "said",
            "skepticism",
            id="accusation_is_doubt",
        ),
        pytest.param(
            "the president wants to end the war before the winter",
            "said",
            "openness",
            id="wish_to_end_war_is_openness",
        ),
        pytest.param(
            "the cabinet wanted to keep negotiations going with its neighbour",
            "said",
            "openness",
            id="wish_to_keep_talking_is_openness",
        ),
        pytest.param(
            "the government remains committed to achieving peace in the region",
            "said",
            "openness",
            id="committed_to_peace_is_openness",
        ),
        pytest.param(
            "the conflict will eventually end with diplomacy",
            "said",
            "openness",
            id="end_with_diplomacy_is_openness",
        ),
        pytest.param(
            "a truce agreement between the two armies is possible",
            "said",
            "openness",
            id="truce_possible_is_openness",
        ),
        pytest.param(
            "a truce is possible only if both armies pull back",
            "said",
            "condition",
            id="truce_possible_if_is_condition",
        ),
        pytest.param(
            "the meeting with the chancellor went very well",
            "said",
            "openness",
            id="went_well_is_openness",
        ),
        pytest.param(
            "the two teams have only a few issues left",
            "said",
            "openness",
            id="few_issues_left_is_openness",
        ),
        pytest.param(
            "the republic is not in a position to sign a truce this month",
            "said",
            "skepticism",
            id="not_in_position_is_doubt",
        ),
        pytest.param(
            "there is a long way to go before any summit",
            "said",
            "skepticism",
            id="long_way_to_go_is_doubt",
        ),
        pytest.param(
            "the allies remain unsure whether the other side wants a deal",
            "said",
            "skepticism",
            id="unsure_whether_is_doubt",
        ),
        pytest.param(
            "the neighbours have been ignoring our plan for weeks",
            "said",
            "skepticism",
            id="ignoring_is_doubt",
        ),
        pytest.param(
            "a truce would give the invader a breathing space",
            "said",
            "skepticism",
            id="breathing_space_is_doubt",
        ),
        pytest.param(
            "the talks are extremely complicated and it is wrong to expect a quick result",
            "said",
            "skepticism",
            id="extremely_complicated_is_doubt",
        ),
        pytest.param(
            "the rumours were spread to hinder the discussions",
            "said",
            "skepticism",
            id="hinder_is_doubt",
        ),
        pytest.param(
            "we asked the prime minister to mediate between the parties",
            "said",
            "proposal",
            id="asked_to_mediate_is_proposal",
        ),
        pytest.param(
            "the envoys will send a delegation to the capital",
            "said",
            "proposal",
            id="send_delegation_is_proposal",
        ),
        pytest.param(
            "the third round will be held in the spring",
            "said",
            "proposal",
            id="round_will_be_held_is_proposal",
        ),
        pytest.param(
            "the war should be settled at the negotiating table",
            "said",
            "proposal",
            id="negotiating_table_is_proposal",
        ),
        pytest.param(
            "the main aim is an unconditional truce along the river",
            "said",
            "proposal",
            id="unconditional_truce_is_proposal",
        ),
        pytest.param(
            "a 60-day truce would give the diplomats time",
            "said",
            "proposal",
            id="numbered_truce_is_proposal",
        ),
        pytest.param(
            "the envoy came to advance the dialogue between the capitals",
            "said",
            "openness",
            id="advance_dialogue_is_not_front",
        ),
        pytest.param(
            "the preparations for the summit are at an advanced stage",
            "said",
            "other",
            id="advanced_stage_is_not_front",
        ),
        pytest.param(
            "the cabinet is studying the initiative with care",
            "said",
            "openness",
            id="studying_initiative_is_not_front",
        ),
        pytest.param(
            "the army has seized the initiative in the east",
            "said",
            "battlefield_claim",
            id="seized_initiative_is_front",
        ),
        pytest.param(
            "the regime is plainly not ready to lay down its arms",
            "said",
            "skepticism",
            id="not_ready_to_lay_down_arms_is_doubt",
        ),
        pytest.param(
            "their rulers are not ready for a lasting peace",
            "said",
            "skepticism",
            id="not_ready_for_a_peace_is_doubt",
        ),
        pytest.param(
            "the ministries will cooperate within the framework of the charter",
            "said",
            "other",
            id="within_framework_of_is_no_plan",
        ),
        pytest.param(
            "the council drafted a framework for future security commitments",
            "said",
            "proposal",
            id="framework_for_is_a_plan",
        ),
        pytest.param(
            "a summit without the host nation would be ridiculous",
            "said",
            "rejection",
            id="ridiculous_is_rejection",
        ),
        pytest.param(
            "for our side the proposed format is not relevant",
            "said",
            "rejection",
            id="not_relevant_is_rejection",
        ),
        pytest.param(
            "that government cannot be a neutral mediator",
            "said",
            "rejection",
            id="cannot_be_mediator_is_rejection",
        ),
        pytest.param(
            "threats don't work with our nation",
            "said",
            "rejection",
            id="threats_do_not_work_is_rejection",
        ),
        pytest.param(
            "both delegations worked constructively for hours",
            "said",
            "openness",
            id="constructively_is_openness",
        ),
        pytest.param(
            "the chancellor has shown some interest in the idea",
            "said",
            "openness",
            id="shown_interest_is_openness",
        ),
        pytest.param(
            "nothing can replace negotiations between neighbours",
            "said",
            "openness",
            id="nothing_replaces_dialogue_is_openness",
        ),
        pytest.param(
            "the kingdom supports any effort to calm the region",
            "said",
            "openness",
            id="supports_any_effort_is_openness",
        ),
        pytest.param(
            "the cabinet backs a truce but wants two conditions met",
            "said",
            "condition",
            id="conditions_met_is_condition",
        ),
        pytest.param(
            "our conditions are well known to the other side",
            "said",
            "condition",
            id="our_conditions_are_is_condition",
        ),
        pytest.param(
            "the border is a fundamental issue for the republic",
            "said",
            "condition",
            id="fundamental_issue_is_condition",
        ),
        pytest.param(
            "the process should include the neighbouring states",
            "said",
            "condition",
            id="should_include_is_condition",
        ),
        pytest.param(
            "there will be peace when our aims are reached",
            "said",
            "condition",
            id="peace_when_is_condition",
        ),
        pytest.param(
            "the ministers discussed the route proposed by the neighbours",
            "said",
            "other",
            id="proposed_by_only_names_a_plan",
        ),
        pytest.param(
            "the republic will not take part in the conference",
            "said",
            "rejection",
            id="will_not_take_part_is_rejection",
        ),
        pytest.param(
            "the invaders would use the pause to bring up fresh troops",
            "said",
            "skepticism",
            id="pause_used_to_is_doubt",
        ),
        pytest.param(
            "the junta seems set on waging war for years",
            "said",
            "skepticism",
            id="waging_war_is_doubt",
        ),
        pytest.param(
            "their leaders will fight until the bitter end",
            "said",
            "skepticism",
            id="until_the_end_is_doubt",
        ),
        pytest.param(
            "the premier voiced willingness to meet again in this format",
            "said",
            "openness",
            id="willingness_to_meet_is_openness",
        ),
        pytest.param(
            "the premier is willing to meet in Vienna next month",
            "said",
            "proposal",
            id="willing_to_meet_in_a_city_is_proposal",
        ),
        pytest.param(
            "a deal now depends on the other side and its leader",
            "said",
            "pressure",
            id="depends_on_the_other_side_is_pressure",
        ),
        pytest.param(
            "the army will press on if the talks falter",
            "said",
            "pressure",
            id="if_talks_falter_is_a_threat",
        ),
        pytest.param(
            "the regime is holding up the talks for no reason",
            "said",
            "pressure",
            id="holding_up_talks_is_pressure",
        ),
        pytest.param(
            "the aggressor cannot count on our patience",
            "said",
            "pressure",
            id="cannot_count_on_is_pressure",
        ),
        pytest.param(
            "the bloc can use its weight to influence Moscow",
            "said",
            "pressure",
            id="influence_moscow_is_pressure",
        ),
        pytest.param(
            "it is necessary to study the details of the draft",
            "said",
            "other",
            id="study_details_is_procedure",
        ),
        pytest.param(
            "the ministry could not confirm reports of a peace plan",
            "said",
            "other",
            id="cannot_confirm_is_procedure",
        ),
        pytest.param(
            "the memorandum on a peaceful settlement will not be made public",
            "said",
            "other",
            id="not_made_public_is_procedure",
        ),
        pytest.param(
            "the delegation has taken note of the request for direct talks",
            "said",
            "other",
            id="taken_note_is_procedure",
        ),
        pytest.param(
            "the allies voiced skepticism about the new format",
            "said",
            "skepticism",
            id="skepticism_spelled_with_k_is_doubt",
        ),
        pytest.param(
            "the visit by the premier was not helpful",
            "said",
            "skepticism",
            id="not_helpful_is_doubt",
        ),
        pytest.param(
            "the delegation submitted written proposals on the border",
            "said",
            "proposal",
            id="submitted_proposals_is_proposal",
        ),
        pytest.param(
            "the region could host such negotiations next spring",
            "said",
            "proposal",
            id="could_host_negotiations_is_proposal",
        ),
    ],
)
def test_stance_rules(quote: str, verb: str, stance: str) -> None:
    with using(None):
        assert classify_stance(quote, verb) == stance


def test_stored_stance_model_is_what_train_stance_builds() -> None:
    assert MODEL_PATH.read_text(encoding="utf-8") == train(training_examples()).to_json()


def _toy_model() -> object:
    truce = [Example("we propose a truce for the holidays", "proposal", "a")] * 20
    chatter = [Example("the weather was cold in the capital", "other", "b")] * 20
    return train(truce + chatter)


@pytest.mark.parametrize(
    ("quote", "verb", "stance"),
    [
        pytest.param("we propose a truce for the holidays", "said", "proposal", id="model_decides"),
        pytest.param("the plan is unacceptable to us", "said", "rejection", id="cue_rule_wins"),
        pytest.param("flights resumed yesterday", "warned", "pressure", id="unsure_model"),
    ],
)
def test_stance_model_only_decides_where_no_cue_fires(quote: str, verb: str, stance: str) -> None:
    with using(_toy_model()):
        assert classify_stance(quote, verb) == stance


def off_topic_page_and_a_leaking_model(tmp_path: Path) -> list[Example]:
    """One page in `tmp_path` whose only statement is `other`, and training examples that hold
    that very quote as a proposal 30 times: a model that kept its page would get it wrong."""
    text = "Kremlin spokesman Dmitry Peskov said the weather in Moscow was fine and sunny."
    annotation = {
        "published": "2025-05-14",
        "sources": ["https://example.org/page"],
        "statements": [
            {
                "id": 1,
                "speaker": "Dmitry Peskov",
                "affiliation": "Russia",
                "quote": "the weather in Moscow was fine and sunny",
                "stance": "other",
                "on_topic": True,
            }
        ],
    }
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    (tmp_path / "page.json").write_text(json.dumps(annotation), encoding="utf-8")
    leaked = [
        Example("the weather in moscow was fine and sunny", "proposal", annotation["sources"][0])
    ]
    elsewhere = [
        Example("we propose a truce", "proposal", "x"),
        Example("no comment", "other", "y"),
    ]
    return leaked * 30 + elsewhere * 3


def test_stance_cross_validation_leaves_each_page_out(tmp_path: Path) -> None:
    examples = off_topic_page_and_a_leaking_model(tmp_path)
    rules, combined = cross_validated_stance(tmp_path, examples)
    assert [score.stance_correct for score in rules] == [1]
    assert [score.stance_correct for score in combined] == [1]


def test_round_groups_follow_the_split() -> None:
    groups = round_groups(REAL_ARTICLES / "tuning", REAL_ARTICLES / "split.json")
    split = json.loads((REAL_ARTICLES / "split.json").read_text(encoding="utf-8"))
    assert groups["held_aside_5"] == sorted(split["held_aside_5"])
    assert groups["held_aside_6"] == sorted(split["held_aside_6"])
    assert groups["held_aside_7"] == sorted(split["held_aside_7"])
    assert groups["held_aside_8"] == sorted(split["held_aside_8"])
    assert groups["held_aside_9"] == sorted(split["held_aside_9"])
    assert sorted(name for names in groups.values() for name in names) == split["tuning"]
    assert len(groups["original"]) == 27


def test_group_cross_validation_leaves_the_whole_group_out(tmp_path: Path) -> None:
    examples = off_topic_page_and_a_leaking_model(tmp_path)
    results = group_cross_validated_stance(tmp_path, examples, {"round": ["page"], "empty": []})
    assert list(results) == ["round"]
    rules, combined = results["round"]
    assert (rules.stance_correct, combined.stance_correct, combined.f1) == (1, 1, 1.0)


def test_gazetteer_integrity() -> None:
    actors, places = read_actors(ACTORS_PATH), read_places(MEDIATORS_PATH)
    assert integrity_problems(actors, places) == []
    assert len(actors) > 100
    assert len({actor.name for actor in actors}) == len(actors)
    gazetteer = load_gazetteer()
    for actor in actors:
        assert actor.role_on(None), actor.name
        assert actor.affiliation, actor.name
    for alias, canonical in [
        ("Zelenskiy", "Volodymyr Zelensky"),
        ("Zelenskyy", "Volodymyr Zelensky"),
        ("Erdogan", "Recep Tayyip Erdoğan"),
        ("the Institute for the Study of War", "Institute for the Study of War"),
    ]:
        assert gazetteer.actor(alias).name == canonical
    for word, place in [("Turkish", "Turkey"), ("Istanbul", "Turkey"), ("Holy See", "Vatican")]:
        assert gazetteer.place(word).name == place


def test_roles_follow_the_date() -> None:
    gazetteer = load_gazetteer()
    budanov = gazetteer.actor("Budanov")
    assert "Intelligence" in budanov.role_on(date(2024, 5, 1))
    assert budanov.role_on(date(2026, 6, 3)) == "Head of the Office of the President of Ukraine"


def test_ambiguous_surnames_do_not_resolve() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.actor("Johnson") is None  # Boris Johnson and Mike Johnson
    assert fold("Zelenskyy") == fold("Zelenskiy") == "zelensky"


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        pytest.param("Volodymyr Zelenskyj", "Volodymyr Zelensky", id="swedish_skyj"),
        pytest.param("Dmitrij Peskov", "Dmitry Peskov", id="german_ij"),
        pytest.param("Mikhail Podolyak", "Mykhailo Podolyak", id="russian_first_name"),
        pytest.param("Podoljak", "Mykhailo Podolyak", id="bare_surname_j_for_y"),
        pytest.param("Sergej Lavrov", "Sergei Lavrov", id="ej_for_ei"),
        pytest.param("Wolodymyr Zelenskyi", "Volodymyr Zelensky", id="w_for_v"),
        pytest.param("Juri Uschakow", "Yuri Ushakov", id="german_sch_and_w"),
        pytest.param("Andrij Sybiga", "Andrii Sybiha", id="russian_g_for_ukrainian_h"),
        pytest.param("Jermak", "Andriy Yermak", id="german_j_surname"),
    ],
)
def test_transliteration_variants_fold_to_the_actor(spelling: str, canonical: str) -> None:
    assert load_gazetteer().actor(spelling).name == canonical


@pytest.mark.parametrize("word", ["I", "More", "Way"])
def test_folded_surnames_leave_common_words_alone(word: str) -> None:
    assert load_gazetteer().actor(word) is None


ROUND_4_CASES = [
    pytest.param(
        "Ukrainian forces held the line on Friday.\nOleksiy Reznikov, an adviser to the office of "
        "Ukrainian President Volodymyr Zelenskyy, told reporters that Kyiv would not sign any "
        "ultimatum.\n“We will keep talking to our partners,” he said.",
        "Oleksii Reznikov",
        "Kyiv would not sign any ultimatum",
        id="long_appositive_with_a_name_inside",
    ),
    pytest.param(
        "Talks resumed in Geneva.\nThe Kremlin will study the draft carefully, said spokesman "
        "Dmitrij Peskov on Thursday.",
        "Dmitry Peskov",
        "The Kremlin will study the draft carefully",
        id="inverted_with_transliterated_name",
    ),
    pytest.param(
        "After the call in Washington, Donald Trump says according to CNN that a truce is "
        "possible within weeks.",
        "Donald Trump",
        "a truce is possible within weeks",
        id="relay_between_verb_and_that",
    ),
    pytest.param(
        "Dmytro Kuleba insists on a full withdrawal before any talks, reports DPA.",
        "Dmytro Kuleba",
        "on a full withdrawal before any talks",
        id="trailing_outlet_relay",
    ),
    pytest.param(
        "Turkish government sources tell AFP that Ankara is ready to host the next round.",
        "Turkish government sources (unnamed)",
        "Ankara is ready to host the next round",
        id="plural_sources_tell",
    ),
    pytest.param(
        "A second round will be held in Riyadh in March, Kremlin spokesman Dmitry Peskov was "
        "quoted as saying on Monday.",
        "Dmitry Peskov",
        "A second round will be held in Riyadh in March",
        id="was_quoted_as_saying_after_the_clause",
    ),
    pytest.param(
        "“We are ready for a meeting in Istanbul,\" Rustem Umerov, Ukraine's defence minister, "
        "told reporters in Kyiv, as the delegation prepared to leave.",
        "Rustem Umerov",
        "We are ready for a meeting in Istanbul",
        id="curly_quote_closed_by_a_straight_one",
    ),
    pytest.param(
        "Moscow will not accept foreign troops, Russian Foreign Minister Sergei Lavrov said on "
        "Tuesday, reacting to a plan put forward in Paris.",
        "Sergei Lavrov",
        "Moscow will not accept foreign troops",
        id="reacting_after_the_day",
    ),
    pytest.param(
        "Finnish President Alexander Stubb expressed hope that the summit would bring a "
        "ceasefire closer.",
        "Alexander Stubb",
        "the summit would bring a ceasefire closer",
        id="expressed_hope_that",
    ),
    pytest.param(
        "Kremlin aide Yuri Ushakov statedthat the next round had not been scheduled.",
        "Yuri Ushakov",
        "the next round had not been scheduled",
        id="verb_glued_to_that",
    ),
    pytest.param(
        "On Monday, Russian President Vladimir Putin released a statement saying a summit was "
        "possible in the autumn.",
        "Vladimir Putin",
        "a summit was possible in the autumn",
        id="statement_saying",
    ),
    pytest.param(
        "Kremlin spokesman Dmitry Peskov told the Financial Times Moscow would not attend.",
        "Dmitry Peskov",
        "Moscow would not attend",
        id="told_outlet_then_a_subject",
    ),
    pytest.param(
        "ZÜRICH, Switzerland — Talks could resume next month, Swiss Foreign Minister Ignazio "
        "Cassis said on Friday.",
        "Ignazio Cassis",
        "Talks could resume next month",
        id="dateline_in_capitals_with_its_country",
    ),
    pytest.param(
        "Olaf Scholz has long said Germany will not send troops to Ukraine.",
        "Olaf Scholz",
        "Germany will not send troops to Ukraine",
        id="has_long_said",
    ),
    pytest.param(
        "The summit ended on Sunday, with Swiss Foreign Minister Ignazio Cassis saying a second "
        "meeting could follow in the autumn.",
        "Ignazio Cassis",
        "a second meeting could follow in the autumn",
        id="with_x_saying",
    ),
]


def test_and_said_before_a_quotation_is_a_second_statement() -> None:
    text = (
        "Kremlin aide Yuri Ushakov praised the mood of the talks, and said “we need another "
        "round in Riyadh.”"
    )
    assert [c.quote for c in _statements(text)] == [
        "the mood of the talks",
        "we need another round in Riyadh",
    ]


def test_a_sentence_ending_in_a_colon_hands_over_to_the_next_line() -> None:
    text = (
        "Talks in Riyadh ended on Monday.\n"
        "Speaking at the Elysee, Emmanuel Macron said that he was confident about a truce:\n"
        "We are closer than we have ever been.\n"
    )
    assert [(c.speaker, c.quote) for c in _statements(text)] == [
        ("Emmanuel Macron", "he was confident about a truce"),
        ("Emmanuel Macron", "We are closer than we have ever been"),
    ]


def test_announcing_this_today_refers_back() -> None:
    text = "The next round is set for Geneva. Yuri Ushakov announced this today, June 3, in Moscow."
    assert [c.quote for c in _statements(text)] == []


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        pytest.param(
            "Kremlin spokesman Dmitry Peskov said contacts with Washington had resumed, but "
            "declined to give any details.",
            ["contacts with Washington had resumed"],
            id="declined_to_give_details_is_an_omission",
        ),
        pytest.param(
            "Kremlin spokesman Dmitry Peskov said contacts with Washington had resumed, but "
            "declined to meet the envoy.",
            ["contacts with Washington had resumed", "declined to meet the envoy"],
            id="declined_to_meet_is_a_refusal",
        ),
    ],
)
def test_declining_to_say_more_is_no_statement(text: str, quotes: list[str]) -> None:
    assert [c.quote for c in _statements(text)] == quotes


def test_a_participle_after_a_closed_quotation_is_a_new_statement() -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov said the talks were paused “by Kyiv's choice,” "
        "claiming that Britain had persuaded Ukraine to keep fighting."
    )
    assert [(c.speaker, c.quote) for c in _statements(text)] == [
        ("Dmitry Peskov", "the talks were paused “by Kyiv's choice"),
        ("Dmitry Peskov", "Britain had persuaded Ukraine to keep fighting"),
    ]


def test_a_member_of_an_unnamed_group_is_the_group() -> None:
    text = (
        "European diplomats told the BBC that the summit could take place in Budapest. "
        "The venue is still open, according to one of the European diplomats. Another says "
        "that Vienna is also possible."
    )
    assert {c.speaker for c in _statements(text)} == {"European diplomats (unnamed)"}


def test_expressing_something_else_is_no_statement() -> None:
    assert _statements("The Turkish courier expressed the parcels to Kyiv on Friday.") == []


def test_a_sentence_opener_is_no_first_name() -> None:
    text = (
        "While Western capitals are united, many states stay neutral. Brazil avoided Western "
        "calls to impose sanctions on Moscow.\nKremlin spokesman Dmitry Peskov said Moscow was "
        "open to talks."
    )
    assert {candidate.speaker for candidate in _statements(text)} == {"Dmitry Peskov"}


@pytest.mark.parametrize(("text", "speaker", "quote"), ROUND_4_CASES)
def test_round_4_attribution_misses(text: str, speaker: str, quote: str) -> None:
    candidates = _statements(text)
    assert (speaker, quote) in {(candidate.speaker, candidate.quote) for candidate in candidates}
    assert {candidate.speaker for candidate in candidates} == {speaker}


# Round 5: mechanisms behind the misses of the fourth held-aside set, each with sentences
# written for the test. (text, speaker, exact quote) of one statement the text must yield.
ROUND_5_CASES = [
    pytest.param(
        "Talks ended in Geneva. But the Kremlin afterwards indicated there was no breakthrough "
        "and vowed to keep fighting until Kyiv gives up the east.",
        "Kremlin",
        "there was no breakthrough",
        id="adverb_afterwards_before_the_verb",
    ),
    pytest.param(
        "Talks ended in Geneva. The Kremlin indicated there was no breakthrough and vowed to keep "
        "fighting until Kyiv gives up the east.",
        "Kremlin",
        "to keep fighting until Kyiv gives up the east",
        id="and_vowed_to_is_a_second_statement",
    ),
    pytest.param(
        "After the call with Trump Zelensky said that Kyiv was ready for a truce.",
        "Volodymyr Zelensky",
        "Kyiv was ready for a truce",
        id="introductory_phrase_missing_its_comma",
    ),
    pytest.param(
        "Erdogan's government said it was ready to host the next round.",
        "Turkey",
        "it was ready to host the next round",
        id="leaders_government_is_the_country",
    ),
    pytest.param(
        "German Chancellor Olaf Scholtz said the plan was a dictator's peace.",
        "Olaf Scholz",
        "the plan was a dictator's peace",
        id="tz_spelling_of_a_known_name",
    ),
    pytest.param(
        "Vladimir Putin said he was ready. Instead, Kamala Harris, the vice-president, attended, "
        "giving a speech in which she said: “Aggression must not pay.”",
        "Kamala Harris",
        "Aggression must not pay",
        id="pronoun_of_in_which_she_said",
    ),
    pytest.param(
        "'We are ready for serious talks,' Kremlin spokesman Dmitry Peskov told reporters.",
        "Dmitry Peskov",
        "We are ready for serious talks",
        id="single_quotation_marks",
    ),
    pytest.param(
        "Putin's spokesman said the talks were over.",
        "Dmitry Peskov",
        "the talks were over",
        id="leaders_spokesman_is_the_spokesperson_of_the_day",
    ),
    pytest.param(
        "Trump rejected the plan but his press secretary said talks would go on.",
        "Karoline Leavitt",
        "talks would go on",
        id="but_his_press_secretary_said",
    ),
    pytest.param(
        "Talks news\nMoscow and Kyiv must agree on the memorandum before talks can take place, "
        "Dmitry Peskov has said\nRussia is close to finalising its draft, Peskov told reporters.",
        "Dmitry Peskov",
        "Moscow and Kyiv must agree on the memorandum before talks can take place",
        id="standfirst_without_full_stop",
    ),
    pytest.param(
        "Putin named three conditions for a truce. First, Kyiv must withdraw its troops. Second, "
        "Ukraine will not join NATO. The front was quiet.",
        "Vladimir Putin",
        "First, Kyiv must withdraw its troops. Second, Ukraine will not join NATO",
        id="numbered_points_after_their_announcement",
    ),
    pytest.param(
        "The Kremlin has not answered a call by Andrii Sybiha for an energy truce.",
        "Andrii Sybiha",
        "an energy truce",
        id="a_call_by_x_for_y",
    ),
    pytest.param(
        "Sybiha briefed Wang, a senior Chinese diplomat, “about the need for a just peace.”",
        "Andrii Sybiha",
        "about the need for a just peace",
        id="briefed_someone_about_a_quotation",
    ),
    pytest.param(
        "Peskov cited broad support from BRICS countries.",
        "Dmitry Peskov",
        "broad support from BRICS countries",
        id="cited_support",
    ),
    pytest.param(
        "Ukraine's allies insisted that Russian troops must leave.",
        "Ukraine's allies (unnamed)",
        "Russian troops must leave",
        id="a_countrys_allies",
    ),
    pytest.param(
        "Ukraine’s delegation, led by Rustem Umerov, has called for a full ceasefire.",
        "Ukrainian Delegation",
        "a full ceasefire",
        id="delegation_led_by_a_named_person",
    ),
    pytest.param(
        "Kyiv and its European supporters insisted that no talks could start before a truce.",
        "Ukraine",
        "no talks could start before a truce",
        id="a_side_and_its_supporters",
    ),
    pytest.param(
        "The offer came after several European powers demanded that Moscow accept a truce.",
        "Several European powers (unnamed)",
        "Moscow accept a truce",
        id="quantifier_before_a_demonym_group",
    ),
    pytest.param(
        "Xi Jinping met Lula in Beijing. The Chinese Foreign Ministry said the envoy will visit "
        "Berlin.",
        "Chinese Foreign Ministry",
        "the envoy will visit Berlin",
        id="a_ministry_is_no_person_met_before",
    ),
    pytest.param(
        "Zelensky spoke to the BBC in Lviv on Friday.\nQ: Will you meet Putin?\nA: I am ready to "
        "meet him in any format.",
        "Volodymyr Zelensky",
        "I am ready to meet him in any format",
        id="interview_answer_lines",
    ),
    pytest.param(
        "Kuleba gave an interview to Le Monde.\nQuestion: Is a truce possible?\nKuleba: Only if "
        "Russia withdraws its troops.",
        "Dmytro Kuleba",
        "Only if Russia withdraws its troops",
        id="interview_named_answer",
    ),
    pytest.param(
        "Talks were floated in Vienna. The Kremlin brushed off the offer of a summit.",
        "Kremlin",
        "the offer of a summit",
        id="brushed_off",
    ),
    pytest.param(
        "Peskov met reporters in Minsk. In his words, the talks are at a very early stage.",
        "Dmitry Peskov",
        "the talks are at a very early stage",
        id="in_his_words",
    ),
    pytest.param(
        "In Sybiha's view, Moscow is stalling the talks.",
        "Andrii Sybiha",
        "Moscow is stalling the talks",
        id="in_someones_view",
    ),
    pytest.param(
        "Sergei Lavrov, a veteran diplomat who has served as the foreign minister of the Russian "
        "Federation since the spring of 2004, said the talks were useful.",
        "Sergei Lavrov",
        "the talks were useful",
        id="appositive_of_nineteen_words",
    ),
    pytest.param(
        "Aides to President Volodymyr Zelensky said the talks were useful.",
        "Aides to President Volodymyr Zelensky (unnamed)",
        "the talks were useful",
        id="aides_to_a_leader_are_unnamed",
    ),
]


def test_told_a_described_agency_is_no_statement() -> None:
    """ "told state-owned news agency TASS on Friday": the words after "told" name the
    listener, so the sentence's own content before them is the statement."""
    text = (
        "Moscow will skip the planned summit, Deputy Foreign Minister Sergei Ryabkov told "
        "state-owned news agency TASS on Friday."
    )
    quotes = {candidate.quote for candidate in _statements(text)}
    assert not any("news agency" in quote for quote in quotes), quotes


@pytest.mark.parametrize(("text", "speaker", "quote"), ROUND_5_CASES)
def test_round_5_attribution_misses(text: str, speaker: str, quote: str) -> None:
    assert (speaker, quote) in {(c.speaker, c.quote) for c in _statements(text)}


def test_officials_for_a_named_leader_share_the_leaders_country() -> None:
    [statement] = _statements("Officials for French President Emmanuel Macron said talks helped.")
    assert (statement.speaker, statement.affiliation) == (
        "Officials for French President Emmanuel Macron (unnamed)",
        "France",
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "The leaders' summit in Putin's dacha ended with no 'breakthrough' at all.",
            id="apostrophes_and_a_scare_quote",
        ),
        pytest.param("Zelensky briefed Macron on the situation at the front.", id="briefing"),
        pytest.param("The minister brushed the dust from his coat.", id="brushed_alone"),
        pytest.param(
            "Russia's position, Putin's call and the allies' plan were unclear.",
            id="possessives_only",
        ),
    ],
)
def test_round_5_mechanisms_stay_narrow(text: str) -> None:
    assert _statements(text) == []


@pytest.mark.parametrize(
    "card",
    [
        pytest.param(
            "Floods in ValenciaSpain's interior minister said on Tuesday that two hundred people "
            "had been rescued from the ... World News",
            id="headline_glued_to_a_cut_summary",
        ),
        pytest.param(
            "Georgia votes again: Georgian President Salome Zourabichvili said on Sunday that the "
            "count had been stolen by the ruling party and that she would … Politics",
            id="ellipsis_then_section",
        ),
    ],
)
def test_teaser_cards_stay_off_topic(card: str) -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov said Moscow was ready for talks.\n"
        "Read more: Spain counts the cost of the floods\n-\n"
        f"{card}\n"
    )
    assert [(c.speaker, c.on_topic) for c in _statements(text) if c.on_topic] == [
        ("Dmitry Peskov", True)
    ]
    assert TEASER in {line.kind for line in classify_lines(text)}


def test_a_brand_name_in_body_prose_is_no_teaser() -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov said Moscow was ready for talks.\n"
        "Zelensky said in a video on YouTube on Sunday that Ukraine was ready for a meeting.\n"
    )
    assert [c.on_topic for c in _statements(text)] == [True, True]


def test_gazetteer_errors_name_the_row(tmp_path: Path) -> None:
    bad = tmp_path / "actors.csv"
    bad.write_text(
        "name,aliases,kind,role,affiliation\nA B,,person,x,y\nC D,,robot,x,y\n", encoding="utf-8"
    )
    with pytest.raises(GazetteerError, match=r"actors.csv: row 3: kind 'robot'"):
        read_actors(bad)
    clash = tmp_path / "clash.csv"
    clash.write_text(
        "name,aliases,kind,role,affiliation\nA B,Boss,person,x,y\nC D,Boss,person,x,y\n",
        encoding="utf-8",
    )
    problems = integrity_problems(read_actors(clash), [])
    assert problems == ["actors: alias 'Boss' points at both 'A B' and 'C D'"]


@given(
    st.lists(
        st.sampled_from(
            [
                "Kremlin spokesman Dmitry Peskov said Moscow was ready.",
                '"We will not stop," he said.',
                "According to Reuters, a senior official said the talks stalled.",
                "Advertisement",
                "Related news",
                "Serbia to reintroduce conscription",
                "“It is a trap,” EU foreign policy chief Kaja Kallas warned on Monday.",
                "The ISW says Russian forces advanced 5 km.",
                "He added that sanctions must increase.",
                "",
                "Ça va — naïve “quotes” and ‘apostrophes’ are fine.",
            ]
        ),
        max_size=12,
    )
)
@settings(max_examples=60, deadline=None)
def test_offsets_always_index_the_text(lines: list[str]) -> None:
    text = "\n".join(lines)
    for candidate in extract_statements(text, published=WEDNESDAY):
        assert text[candidate.char_start : candidate.char_end] == candidate.quote
        assert candidate.stance in STANCES


def test_spans_match_rules() -> None:
    assert spans_match("the talks had stalled", "He said the talks had stalled.")
    assert spans_match("“Window” may be opening", '"window" may be opening for dialogue now')
    assert not spans_match("Moscow rejected the plan", "Kyiv welcomed the offer")


@pytest.mark.parametrize(
    "directory",
    [FIXTURE_ARTICLES, REAL_ARTICLES / "tuning", REAL_ARTICLES / "held_aside_10"],
    ids=["written", "real-tuning", "real-held-aside-10"],
)
def test_fixture_annotations_are_consistent(directory: Path) -> None:
    for name, text, annotation in read_pairs(directory):
        assert annotation["word_count"] == len(text.split()), name
        ids = {statement["id"] for statement in annotation["statements"]}
        for statement in annotation["statements"]:
            span = text[statement["char_start"] : statement["char_end"]]
            assert span == statement["quote"], (name, statement["id"])
            assert statement["stance"] in STANCES
            assert set(statement.get("stance_alternatives", ())) <= set(STANCES)
            assert statement.get("duplicate_of", statement["id"]) in ids
            assert all(statement[field] for field in ("speaker", "role", "affiliation"))
            date.fromisoformat(statement["date"])
            assert statement["quote_type"] in {"direct", "paraphrase", "mixed"}
            assert statement["date_basis"] in {"explicit", "relative", "context", "publication"}
            assert isinstance(statement["on_topic"], bool)
            assert isinstance(statement["mediators"], list)


def test_real_article_split_is_the_recorded_one() -> None:
    split = json.loads((REAL_ARTICLES / "split.json").read_text(encoding="utf-8"))
    parts = ("tuning", "held_aside_10")
    sources: dict[str, set[str]] = {}
    for part in parts:
        names = sorted(path.stem for path in (REAL_ARTICLES / part).glob("*.txt"))
        assert names == split[part]
        sources[part] = {
            address
            for _, _, annotation in read_pairs(REAL_ARTICLES / part)
            for address in annotation["sources"]
        }
    for first, second in itertools.combinations(parts, 2):
        assert not set(split[first]) & set(split[second]), (first, second)
        assert not sources[first] & sources[second], (first, second)
    addresses = [
        address
        for _, _, annotation in read_pairs(REAL_ARTICLES / "tuning")
        for address in annotation["sources"]
    ]
    assert len(addresses) == len(set(addresses))
    assert set(split["first_held_aside_scored_once_then_tuned"]) <= set(split["tuning"])
    assert split["second_held_aside_scored_once_then_tuned"] == split["held_aside_2"]
    assert split["third_held_aside_scored_once_then_tuned"] == split["held_aside_3"]
    assert split["fourth_held_aside_scored_once_then_tuned"] == split["held_aside_4"]
    assert split["fifth_held_aside_scored_once_then_tuned"] == split["held_aside_5"]
    assert split["sixth_held_aside_scored_once_then_tuned"] == split["held_aside_6"]
    assert split["seventh_held_aside_scored_once_then_tuned"] == split["held_aside_7"]
    assert split["eighth_held_aside_scored_once_then_tuned"] == split["held_aside_8"]
    assert split["ninth_held_aside_scored_once_then_tuned"] == split["held_aside_9"]
    rounds = ("held_aside_2", "held_aside_3", "held_aside_4", "held_aside_5", "held_aside_6")
    for part in (*rounds, "held_aside_7", "held_aside_8", "held_aside_9"):
        assert set(split[part]) <= set(split["tuning"]), part
    directories = sorted(path.name for path in REAL_ARTICLES.iterdir() if path.is_dir())
    assert directories == ["held_aside_10", "tuning"]


def test_eval_on_own_fixture_articles_meets_targets() -> None:
    scores = evaluate_directory(FIXTURE_ARTICLES)
    total = overall(scores)
    assert total.f1 >= 0.9
    assert total.stance_accuracy >= 0.8


@pytest.mark.realdata
def test_eval_on_shared_articles_meets_targets(articles_dir: Path) -> None:
    scores = evaluate_directory(articles_dir)
    total = overall(scores)
    assert len(scores) >= 4
    assert total.f1 >= 0.9
    assert total.stance_accuracy >= 0.8
    assert total.on_topic_accuracy >= 0.9
    assert re.fullmatch(r"speaker_f1=\d\.\d{3} stance_acc=\d\.\d{3}", report_lines(scores)[-1])


def test_cli_extract_json_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "article.txt"
    text = (
        "Kremlin spokesman Dmitry Peskov said on Wednesday that Moscow had rejected the plan.\n"
        "“We are ready,” EU foreign policy chief Kaja Kallas said.\n"
    )
    article.write_text(text, encoding="utf-8")
    assert main(["extract", str(article), "--published", "2025-03-12"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [record["speaker"] for record in records] == ["Dmitry Peskov", "Kaja Kallas"]
    for record in records:
        assert text[record["char_start"] : record["char_end"]] == record["quote"]
        assert record["source_name"] == "article.txt"
        assert {"on_topic", "mediators", "role", "affiliation", "date"} <= set(record)
    assert main(["extract", str(article), "--published", "2025-03-12", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["date"] for row in rows] == ["2025-03-12", "2025-03-12"]
    assert rows[0]["on_topic"] == "true"


def test_cli_reports_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt: no such file" in capsys.readouterr().err
    assert main(["eval", str(tmp_path)]) == 2
    assert "no NAME.json annotation files" in capsys.readouterr().err
    (tmp_path / "a.json").write_text('{"statements": []}', encoding="utf-8")
    assert main(["eval", str(tmp_path)]) == 2
    assert "a.json: no 'published' date" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["extract", "x.txt", "--published", "12/03/2025"])


def test_cli_eval_prints_per_article_and_overall() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "lib.extract", "eval", str(FIXTURE_ARTICLES)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = completed.stdout.strip().splitlines()
    assert any(line.startswith("2023-07-17_grain-deal: predicted=") for line in lines)
    assert any(line.startswith("overall: ") for line in lines)
    assert re.fullmatch(r"speaker_f1=\d\.\d{3} stance_acc=\d\.\d{3}", lines[-1])


ARTICLE_PAGE = """<!doctype html><html><head><title>Peskov on the talks</title>
<meta property="article:published_time" content="2025-03-12T10:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Peskov on the talks</h1>
<p>Kremlin spokesman Dmitry Peskov said on Wednesday that Moscow would study the American
proposal before giving any answer to Washington.</p>
<p>“First, we must receive this information,” Peskov told reporters in Moscow.</p>
<p>EU foreign policy chief Kaja Kallas warned that Russia was buying time with its answer.</p>
</article><footer>Subscribe to our newsletter</footer></body></html>"""


class _ArticleHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path != "/article":
            self.send_error(404)
            return
        send_page(self, ARTICLE_PAGE.encode("utf-8"), "text/html; charset=utf-8")

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def article_server():
    with serving(_ArticleHandler) as base_url:
        yield base_url


def test_fetch_article_from_a_real_http_server(article_server: str) -> None:
    text, published, title = fetch_article(f"{article_server}/article")
    assert "Moscow would study the American" in text
    assert "Subscribe" not in text
    assert published == date(2025, 3, 12)
    assert title == "Peskov on the talks"
    with pytest.raises(FetchError, match="404"):
        fetch_article(f"{article_server}/missing")


def test_cli_extract_from_url(article_server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", f"{article_server}/article"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [record["speaker"] for record in records] == [
        "Dmitry Peskov",
        "Dmitry Peskov",
        "Kaja Kallas",
    ]
    assert {record["source_url"] for record in records} == {f"{article_server}/article"}
    assert {record["source_name"] for record in records} == {"127.0.0.1"}
    assert records[2]["stance"] == "skepticism"


REVIEW_ARTICLE = (
    "Kremlin signals openness\n\n"
    "Kremlin spokesman Dmitry Peskov said on Wednesday that Moscow was ready for talks.\n\n"
    "EU foreign policy chief Kaja Kallas warned that Russia was laying a trap.\n\n"
    "Related news\n"
    "Heatwave in Spain\n"
    "Spain's health ministry said on Tuesday it had issued heat alerts.\n"
)


@pytest.fixture
def empty_store(tmp_path: Path):
    from lib.statements import get_engine

    return get_engine(f"sqlite:///{tmp_path / 'statements.db'}", seed=False)


def test_review_round_trip_into_the_store(empty_store) -> None:
    from lib.extract.review import REVIEW_COLUMNS, prepare_review, save_reviewed
    from lib.statements import query_statements

    batch = prepare_review(empty_store, REVIEW_ARTICLE, published=WEDNESDAY)
    table = batch.candidates
    assert list(table.columns) == REVIEW_COLUMNS
    assert list(table["speaker"]) == ["Dmitry Peskov", "Kaja Kallas", "Spanish Health Ministry"]
    assert list(table["accept"]) == [True, True, False]  # the teaser starts dropped
    assert batch.source_name == "Kremlin signals openness"
    table.loc[1, "stance"] = "pressure"  # an editor's correction
    report = save_reviewed(empty_store, table, added_by="editor", source_label="review")
    assert report.ok and report.added == 2
    stored = query_statements(empty_store)
    assert sorted(stored["speaker"]) == ["Dmitry Peskov", "Kaja Kallas"]
    assert stored.set_index("speaker").loc["Kaja Kallas", "stance"] == "pressure"
    assert set(stored["source_name"]) == {"Kremlin signals openness"}

    again = prepare_review(empty_store, REVIEW_ARTICLE, published=WEDNESDAY)
    assert list(again.candidates["already_stored"]) == [True, True, False]
    assert not again.candidates["accept"].any()
    again.candidates["accept"] = True
    second = save_reviewed(empty_store, again.candidates, added_by="editor", source_label="again")
    assert second.added == 1 and second.already_stored == 2
    assert len(query_statements(empty_store)) == 3


def test_review_rejects_bad_rows_and_stores_nothing(empty_store) -> None:
    from lib.extract.review import prepare_review, save_reviewed
    from lib.statements import query_statements

    batch = prepare_review(empty_store, REVIEW_ARTICLE, published=WEDNESDAY)
    batch.candidates.loc[1, "stance"] = "angry"
    report = save_reviewed(empty_store, batch.candidates, added_by="editor", source_label="review")
    assert not report.ok
    assert any("candidate 2" in error and "stance" in error for error in report.errors)
    assert query_statements(empty_store).empty
    with pytest.raises(ValueError, match="paste an article"):
        prepare_review(empty_store, "   ")


def test_review_from_url(empty_store, article_server: str) -> None:
    from lib.extract.review import prepare_review

    batch = prepare_review(empty_store, f"{article_server}/article")
    assert batch.published == date(2025, 3, 12)
    assert batch.source_url == f"{article_server}/article"
    assert set(batch.candidates["source_name"]) == {"127.0.0.1"}
    assert len(batch.candidates) == 3


# Round 7: one row per mechanism found in held_aside_6's misses, with sentences written for the
# test. (text, speaker, exact quote) of one statement the text must yield.
ROUND_7_CASES = [
    pytest.param(
        "“The border will stay open,” said Polish Interior Minister Jan Nowak greeting the convoy.",
        "Jan Nowak",
        "The border will stay open",
        id="inverted_speaker_then_a_participle",
    ),
    pytest.param(
        "“We found no common ground,” said German Foreign Minister Annalena Baerbock on Monday "
        "after the meeting in Geneva.",
        "Annalena Baerbock",
        "We found no common ground",
        id="inverted_speaker_then_time_and_place",
    ),
    pytest.param(
        "«Russia must withdraw first. Then we can talk», — said Ukrainian Foreign Minister "
        "Dmytro Kuleba.",
        "Dmytro Kuleba",
        "Russia must withdraw first. Then we can talk",
        id="guillemets_comma_dash_said",
    ),
    pytest.param(
        "«Every step of the plan has been agreed with our partners», summarised Andriy Yermak.",
        "Andriy Yermak",
        "Every step of the plan has been agreed with our partners",
        id="summarised_after_the_quotation",
    ),
    pytest.param(
        "For Moscow, “the talks must start from the new realities,” said the Russian president.",
        "Vladimir Putin",
        "the talks must start from the new realities",
        id="quotation_after_an_opening_phrase_then_said_the_title",
    ),
    pytest.param(
        "Kyiv's team is headed by Defence Minister Oleksii Reznikov. “A truce comes first,” said "
        "the Ukrainian president.",
        "Volodymyr Zelensky",
        "A truce comes first",
        id="the_president_is_not_the_minister_met_before",
    ),
    pytest.param(
        "Macron said a truce was within reach. But he said the Kremlin had ignored the offer.",
        "Emmanuel Macron",
        "the Kremlin had ignored the offer",
        id="but_he_said_is_the_person_before",
    ),
    pytest.param(
        "The Kremlin said Friday’s meeting would prepare a summit of the two presidents.",
        "Kremlin",
        "Friday’s meeting would prepare a summit of the two presidents",
        id="a_weekday_possessive_after_said_is_content",
    ),
    pytest.param(
        "The envoys will meet again in Oslo, an aide to the Finnish president told AFP last week.",
        "Aide to the Finnish president (unnamed)",
        "The envoys will meet again in Oslo",
        id="told_an_outlet_last_week_closes_the_statement",
    ),
    pytest.param(
        "«No deal is possible without our partners», — said the head of the Office of the "
        "President of Ukraine.",
        "Andriy Yermak",
        "No deal is possible without our partners",
        id="the_head_of_an_office_is_not_its_deputy_head",
    ),
    pytest.param(
        "Kyiv will table its plan at the summit, noted the head of the Office of the President "
        "of Ukraine, Andriy Yermak, at a forum of donors in Warsaw.",
        "Andriy Yermak",
        "Kyiv will table its plan at the summit",
        id="inverted_title_name_in_apposition_then_occasion",
    ),
    pytest.param(
        "Sybiha pressed his Hungarian counterpart on the gas transit. “Budapest is blocking every "
        "package of aid.” The meeting lasted an hour.",
        "Andrii Sybiha",
        "Budapest is blocking every package of aid",
        id="a_lone_quotation_after_a_sentence_about_a_person",
    ),
    pytest.param(
        "Macron has said that Paris will keep its embassy open. He emphasizes that any truce "
        "needs European monitors.",
        "Emmanuel Macron",
        "any truce needs European monitors",
        id="emphasizes_present_tense",
    ),
    pytest.param(
        "Kyiv is open to a summit in Ankara, Ukrainian Foreign Minister Dmytro Kuleba said in a "
        "phone conversation with his Turkish counterpart.",
        "Dmytro Kuleba",
        "Kyiv is open to a summit in Ankara",
        id="said_in_a_conversation_closes_the_statement",
    ),
    pytest.param(
        "At the forum, Erdogan expressed his conviction that both sides want peace, and that a "
        "ceasefire is near.",
        "Recep Tayyip Erdoğan",
        "a ceasefire is near",
        id="expressed_conviction_and_a_second_that_clause",
    ),
]


# Attribution rows of round 8: the statement (speaker, quote) each text must yield.
ROUND_8_CASES = [
    pytest.param(
        "Talks in Oslo\n\n"
        "Interviewed in the US, Finnish Foreign Minister Elina Valtonen defended the truce "
        "and said that Moscow wants to end the war soon.\n",
        "Elina Valtonen",
        "Moscow wants to end the war soon",
        id="an_opening_participle_phrase_is_not_the_subject",
    ),
    pytest.param(
        "Talks in Oslo\n\n"
        "Finnish Foreign Minister Elina Valtonen said the talks went well. "
        "Consular matters were also discussed. She warned that the ceasefire was fragile.\n",
        "Elina Valtonen",
        "the ceasefire was fragile",
        id="a_capitalised_word_opening_a_sentence_is_no_person",
    ),
]


@pytest.mark.parametrize(("text", "speaker", "quote"), ROUND_7_CASES + ROUND_8_CASES)
def test_round_7_and_8_attribution_misses(text: str, speaker: str, quote: str) -> None:
    assert (speaker, quote) in {(c.speaker, c.quote) for c in _statements(text)}


def test_a_heading_stops_a_quotation_running_on() -> None:
    """A quotation that opens a paragraph after a heading (a sidebar's name line) is not the
    words of the speaker of the paragraph before the heading."""
    text = (
        "Talks resumed in Geneva.\n\n"
        "«We are ready for a truce», said Dmytro Kuleba.\n\n"
        "Back to the list\n"
        "Margaret Olsen\n"
        "Historian, Harbour University, 2019 forum\n"
        "«History is written by those who turn up.»\n"
    )
    assert [c.quote for c in _statements(text)] == ["We are ready for a truce"]


def test_a_lone_quotation_after_a_sentence_about_a_country_has_no_speaker() -> None:
    text = "Both delegations discussed the corridors. “Civilians are trapped in the city.”"
    assert _statements(text) == []


@pytest.mark.parametrize(
    "quote",
    [
        pytest.param(
            "A new round of trilateral talks between the envoys has started in Vienna.",
            id="started",
        ),
        pytest.param(
            "trilateral talks with Russia had been postponed until next week at the request of "
            "the hosts",
            id="postponed",
        ),
    ],
)
def test_round_7_the_state_of_the_calendar_is_other(quote: str) -> None:
    """The guide's `other` covers logistics: that a round started or moved is no offer."""
    assert classify_stance(quote, "said") == "other"


def test_round_7_cut_off_summaries_in_a_row_are_teaser_cards() -> None:
    text = (
        "Talks in Oslo\n\n"
        "Finland's president said on Monday that a truce was possible.\n\n"
        "Polish Prime Minister Donald Tusk has announced that Warsaw will send more "
        "trucks to the..\n\n"
        "In a surprise move, Hungary's foreign minister said he would travel to Beijing and...\n"
    )
    statements = _statements(text)
    assert [statement.on_topic for statement in statements] == [True, False, False]
    assert all(statement.stance == "other" for statement in statements[1:])


def test_round_7_a_signature_line_signs_the_post_above_it() -> None:
    """An embedded post whose signature ("— Name / Ім'я (@handle) date") stands on its own line
    signs the paragraph just above it and the first-person paragraphs before that one."""
    text = (
        "Kyiv reacted quickly to the call.\n\n"
        "The Chancellor phoned me before his call. In my view it helps nobody.\n\n"
        "Moscow only wants to break its isolation. pic.twitter.com/abc123\n"
        "— Volodymyr Zelenskyy / Володимир Зеленський (@ZelenskyyUa) November 15, 2024\n\n"
        "The call lasted an hour."
    )
    quotes = {(c.speaker, c.quote) for c in _statements(text)}
    assert ("Volodymyr Zelensky", "In my view it helps nobody") in quotes
    assert any(
        speaker == "Volodymyr Zelensky" and quote.startswith("Moscow only wants")
        for speaker, quote in quotes
    )


def test_round_8_an_unattributed_sentence_goes_on_reporting_the_speaker() -> None:
    """Reported speech runs on: a present-tense or first-person sentence with no attribution,
    right after a person's statement in the same paragraph, is that person's too."""
    text = (
        "Talks in Oslo\n\n"
        "Finnish Foreign Minister Elina Valtonen said the mediators had made little headway. "
        "The next round must include the prisoner exchange. "
        "The ministers met for three hours in a hotel near the harbour.\n"
    )
    quotes = {(c.speaker, c.quote) for c in _statements(text)}
    assert ("Elina Valtonen", "The next round must include the prisoner exchange") in quotes
    assert not any(quote.startswith("The ministers met") for _, quote in quotes)


def test_round_8_a_reporter_sentence_after_a_statement_is_not_continued() -> None:
    """Sentences that name a source or are about someone are the reporter's, not the speaker's."""
    text = (
        "Talks in Oslo\n\n"
        "Finnish Foreign Minister Elina Valtonen said the mediators had made little headway. "
        "According to diplomats, no date is set for the next round.\n\n"
        "Norwegian Prime Minister Jonas Gahr Store said the venue was ready. "
        "He is flying to Helsinki tomorrow.\n"
    )
    quotes = {(c.speaker, c.quote) for c in _statements(text)}
    assert not any("flying to Helsinki" in quote for _, quote in quotes)
    assert not any(speaker == "Elina Valtonen" and "no date" in quote for speaker, quote in quotes)


def test_round_8_a_possessive_opening_a_sentence_is_no_speaker() -> None:
    """'His view …' is about the person met before; 'he' after it is still that person."""
    text = (
        "Talks in Oslo\n\n"
        "Finnish Foreign Minister Elina Valtonen said the talks went well. "
        "His schedule was full all week. He hopes that the corridors will open.\n"
    )
    quotes = {(c.speaker, c.quote) for c in _statements(text)}
    assert ("Elina Valtonen", "the corridors will open") in quotes
    assert all(speaker not in {"His", "Their", "My"} for speaker, _ in quotes)


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Ukrainian government", "Ukraine (government)", True),
        ("The French Government", "France", True),
        ("Russian government", "Kremlin", False),
        ("Russian government source (unnamed)", "Russia", False),
    ],
    ids=["demonym_government", "capital_g", "kremlin_stays_apart", "a_source_is_not_the_state"],
)
def test_round_8_a_demonym_government_is_the_country_as_speaker(
    first: str, second: str, same: bool
) -> None:
    assert (fold_speaker(first) == fold_speaker(second)) is same


@pytest.mark.parametrize(
    ("sentence", "speaker", "affiliation"),
    [
        (
            "The leaders spoke about a summit in Durban, the South African presidency said.",
            "South African Presidency",
            "South Africa",
        ),
        ("The Russian presidency stated that it had not yet seen the draft.", "Kremlin", "Russia"),
    ],
    ids=["presidency_named_by_its_country", "presidency_the_gazetteer_knows"],
)
def test_round_8_a_presidency_speaks_as_an_institution(
    sentence: str, speaker: str, affiliation: str
) -> None:
    statements = _statements(f"Talks in Durban\n\n{sentence}\n")
    assert [(c.speaker, c.affiliation) for c in statements] == [(speaker, affiliation)]


def test_round_8_said_its_title_and_name_after_a_quotation() -> None:
    """'"…," said its chief negotiator X': a possessive before the title, when a name follows."""
    text = (
        "Talks in Oslo\n\n"
        "Finland confirmed the venue.\n\n"
        "\u201cWe are ready for the meeting,\u201d said its chief negotiator Elina Valtonen, "
        "a former minister.\n\n"
        "\u201cWe will not give up,\u201d said his spokesman.\n"
    )
    quotes = {(c.speaker, c.quote) for c in _statements(text)}
    assert ("Elina Valtonen", "We are ready for the meeting") in quotes
    assert not any(quote == "We will not give up" for _, quote in quotes)


def test_round_8_according_to_a_source_speaking_to_an_outlet() -> None:
    """'…, according to a source speaking to Reuters': the source speaks, not the outlet."""
    text = (
        "Talks in Oslo\n\n"
        "The Finnish envoy is travelling to Oslo for meetings with both delegations, "
        "according to a Finnish government source speaking to Reuters.\n"
    )
    statements = _statements(text)
    assert [(c.speaker, c.quote) for c in statements] == [
        (
            "Finnish government source (unnamed)",
            "The Finnish envoy is travelling to Oslo for meetings with both delegations",
        )
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "quote"),
    [
        pytest.param(
            "Foreign Ministry spokesperson Wang Wenbin said on Friday that China backs the "
            "talks. Peace needs patience and goodwill, Wang noted.",
            "Wang Wenbin",
            "Peace needs patience and goodwill",
            id="surname_first",
        ),
        pytest.param(
            "Sheikh Abdullah bin Zayed Al Nahyan said the UAE would host the next round. "
            "Sheikh Abdullah added that the talks had been constructive.",
            "Abdullah bin Zayed Al Nahyan",
            "the talks had been constructive",
            id="given_name",
        ),
    ],
)
def test_round_9_a_name_before_the_last_names_the_person_met(
    text: str, speaker: str, quote: str
) -> None:
    """'Wang noted' after 'Wang Wenbin', 'Sheikh Abdullah added' after 'Abdullah bin Zayed Al
    Nahyan': the one person met whose name holds the word before its last."""
    assert (speaker, quote) in {(c.speaker, c.quote) for c in _statements(f"Talks\n\n{text}\n")}


def test_round_9_a_long_paragraph_cut_off_before_its_full_stop_is_prose() -> None:
    """An excerpt may cut a paragraph off mid-sentence anywhere, not only at its end: a long line
    in sentence case is still prose, while a long title-case headline stays a heading."""
    text = (
        "Talks in Oslo\n\n"
        "Finnish Foreign Minister Elina Valtonen said on Monday that the mediators would meet "
        "again in Oslo, with a view to agreeing a prisoner exchange before the winter and a\n\n"
        "Norway Hosts Another Round Of Talks Between The Delegations Of Both Countries In The "
        "Capital Today\n\n"
        "The talks are due to last two days.\n"
    )
    assert [line.kind for line in classify_lines(text)] == [HEADLINE, BODY, HEADING, BODY]
    assert [c.speaker for c in _statements(text)] == ["Elina Valtonen"]


def test_round_9_first_person_words_opening_the_next_paragraph_go_on() -> None:
    """A page that lost its quotation marks: first-person words opening the paragraph after a
    person's statement are theirs; third-person news, or anything after a heading, is not."""
    text = (
        "Talks in Oslo\n\n"
        "Finnish Foreign Minister Elina Valtonen said the mediators had made little headway.\n\n"
        "We will keep the channel open for as long as it takes.\n\n"
        "The ministers are meeting again next week in Bergen.\n\n"
        "Norway Offers A Venue\n\n"
        "We believe in the power of a conversation at a round table.\n"
    )
    assert [(c.speaker, c.quote) for c in _statements(text)] == [
        ("Elina Valtonen", "the mediators had made little headway"),
        ("Elina Valtonen", "We will keep the channel open for as long as it takes"),
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "quote"),
    [
        pytest.param(
            "Finnish troops have finished the exercise in the north, according to Finnish "
            "Foreign Minister Elina Valtonen, Head of the Delegation of Finland.",
            "Elina Valtonen",
            "Finnish troops have finished the exercise in the north",
            id="according_to_with_a_title_after",
        ),
        pytest.param(
            "The corridors will stay open all week, added Elina Valtonen, who flew in from "
            "Helsinki on Monday.",
            "Elina Valtonen",
            "The corridors will stay open all week",
            id="inverted_with_a_who_clause_after",
        ),
    ],
)
def test_round_9_an_apposition_after_the_source_closes_the_sentence(
    text: str, speaker: str, quote: str
) -> None:
    assert (speaker, quote) in {(c.speaker, c.quote) for c in _statements(f"Talks\n\n{text}\n")}


def test_round_9_a_clause_after_according_to_is_no_apposition() -> None:
    text = "Talks\n\nIn short, according to Elina Valtonen, Oslo and Bergen are both ready.\n"
    assert not any(c.quote.startswith("In short") for c in _statements(text))


def test_round_9_a_body_of_a_country_the_gazetteer_does_not_know_speaks() -> None:
    """'the National Press Centre of Moldova': an unknown body named with its country."""
    text = (
        "Talks in Balti\n\n"
        "A Moldovan delegation left for talks in Balti on Sunday, the National Press Centre of "
        "Moldova wrote on its official Telegram channel.\n"
    )
    assert [(c.speaker, c.affiliation) for c in _statements(text)] == [
        ("National Press Centre of Moldova", "Moldova")
    ]


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        (
            "The presidential office in Kyiv said the meeting would take place next week.",
            "Office of the President of Ukraine",
        ),
        (
            "The foreign ministry in Ankara said that it was ready to host the talks.",
            "Turkish Foreign Ministry",
        ),
    ],
    ids=["office_in_kyiv", "ministry_in_ankara"],
)
def test_round_9_a_body_in_a_capital_is_that_countrys(sentence: str, speaker: str) -> None:
    assert [c.speaker for c in _statements(f"Talks\n\n{sentence}\n")] == [speaker]


def test_round_9_both_leaders_speak_as_the_one_the_story_met_first() -> None:
    """A joint statement ('Both leaders agreed …') is recorded under one of the two: the one
    the story met first, whoever made the call."""
    text = (
        "Talks in Oslo\n\n"
        "Finnish President Alexander Stubb said on Monday that the corridors must stay open.\n\n"
        "Norwegian Prime Minister Jonas Gahr Store later briefed Alexander Stubb on his trip. "
        "Both the leaders agreed that their teams will meet again in Bergen.\n"
    )
    assert ("Alexander Stubb", "their teams will meet again in Bergen") in {
        (c.speaker, c.quote) for c in _statements(text)
    }


def test_round_9_a_straight_mark_closes_a_curly_quotation_before_its_attribution() -> None:
    """Mixed typography: '“…," he said. “…”' is two quotations with an attribution between."""
    text = (
        "Talks in Oslo\n\n"
        "Elina Valtonen noted that Finland would like to host a summit.\n"
        '“Oslo could be the best venue because this is not about a favour to one country," '
        "she said. “This is about bringing everyone on board.”\n"
    )
    quotes = {(c.speaker, c.quote) for c in _statements(text)}
    assert ("Elina Valtonen", "This is about bringing everyone on board") in quotes


def test_round_9_a_plural_pronoun_subject_does_not_stop_the_report_running_on() -> None:
    """'they' opening the next sentence is the countries reported on, not a new speaker's
    narration: the sentence still goes on with the speaker's words."""
    text = (
        "Talks in Oslo\n\n"
        "Finnish Foreign Minister Elina Valtonen said some capitals still had questions about "
        "the monitoring mission. In general, they are not against it, but they want guarantees.\n"
    )
    assert (
        "Elina Valtonen",
        "In general, they are not against it, but they want guarantees",
    ) in {(c.speaker, c.quote) for c in _statements(text)}


def test_round_9_sources_in_a_body_belong_to_its_country() -> None:
    text = (
        "Talks in Oslo\n\n"
        "Sources in the Finnish Foreign Ministry said the delegations met for three hours.\n"
    )
    assert [(c.speaker.endswith("(unnamed)"), c.affiliation) for c in _statements(text)] == [
        (True, "Finland")
    ]


@pytest.mark.parametrize(
    ("sentence", "speaker", "quote"),
    [
        (
            "Stubb expressed his expectation that Washington will respond firmly should Moscow "
            "reject the truce.",
            "Alexander Stubb",
            "Washington will respond firmly should Moscow reject the truce",
        ),
        (
            "Helsinki expressed frustration that the envoy had travelled to Minsk unannounced.",
            "Finland",
            "the envoy had travelled to Minsk unannounced",
        ),
        (
            "He also expressed Finland's readiness for talks in any format.",
            "Alexander Stubb",
            "Finland's readiness for talks in any format",
        ),
    ],
    ids=["expectation_and_a_condition", "frustration", "a_possessive_before_the_view"],
)
def test_round_9_expressed_views_and_conditions(sentence: str, speaker: str, quote: str) -> None:
    """'expressed his expectation/frustration that …' reports a view; 'should Moscow reject …'
    inside it is a condition, not Moscow speaking."""
    text = f"Talks\n\nFinnish President Alexander Stubb spoke on Monday.\n\n{sentence}\n"
    assert [(c.speaker, c.quote) for c in _statements(text)][-1:] == [(speaker, quote)]


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("A statement from the Russian foreign ministry said the truce must hold.", "Russian"),
        ("A Kremlin statement said the truce must hold.", "Kremlin"),
        ("The truce must hold, according to a statement by the Kremlin.", "Kremlin"),
    ],
    ids=["statement_from", "owner_before", "according_to_a_statement_by"],
)
def test_round_9_a_document_speaks_for_its_issuer(sentence: str, speaker: str) -> None:
    statements = _statements(f"Talks\n\n{sentence}\n")
    assert len(statements) == 1 and statements[0].speaker.startswith(speaker)
    assert "statement" not in statements[0].speaker.lower()


@pytest.mark.parametrize(
    ("sentence", "quote"),
    [
        ("Valtonen made it clear that the truce must hold.", "the truce must hold"),
        ("Valtonen is confident that the truce will hold.", "the truce will hold"),
        ("Valtonen voiced hope that the truce will hold.", "the truce will hold"),
        ("Valtonen spoke in favour of a monitoring mission.", "a monitoring mission"),
        ("Valtonen assured that the truce would hold.", "the truce would hold"),
        ("Valtonen doubts that the truce will hold.", "the truce will hold"),
        ("Valtonen for her part said the truce must hold.", "the truce must hold"),
        ("\u201cThe truce must hold,\u201d Valtonen went on.", "The truce must hold"),
        ("The truce must hold, Valtonen continued.", "The truce must hold"),
        ("Valtonen went on to say that the truce must hold.", "the truce must hold"),
        ("Valtonen told reporters:\n\n\u201cThe truce must hold.\u201d", "The truce must hold"),
    ],
    ids=[
        *("made_it_clear", "confident", "voiced", "spoke_in_favour", "assured", "doubts", "part"),
        *("went_on_after_a_quote", "continued_after_prose", "went_on_to_say", "told_reporters"),
    ],
)
def test_round_9_more_reporting_phrases(sentence: str, quote: str) -> None:
    """New reporting phrases; 'X went on', 'X continued' close a statement; 'X told reporters:'
    on a line of its own hands over to the next paragraph."""
    text = f"Talks\n\nFinnish Foreign Minister Elina Valtonen arrived on Monday.\n\n{sentence}\n"
    assert [(c.speaker, c.quote) for c in _statements(text)] == [("Elina Valtonen", quote)]


def test_round_9_acting_and_speaking_without_words_is_no_statement() -> None:
    """'Went on a trip', 'the fighting continued', 'made a stop', 'spoke with' report no words."""
    text = (
        "Talks\n\nValtonen made a stop in Oslo. Valtonen spoke with the Norwegian minister. "
        "The envoy assured victory for his side. Valtonen went on a trip to Oslo. The fighting "
        "continued on Monday. Valtonen continued talks with the Norwegian side.\n"
    )
    assert _statements(text) == []


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Foreign Minister Sergei Lavrof", "Sergei Lavrov"),
        ("Belarusian Foreign Minister Vladimir Meki", "Vladimir Makei"),
        ("spokesman Sergei Nikiforov", "Serhiy Nykyforov"),
    ],
    ids=["one_letter_off", "two_letters_off", "russian_spelling_of_a_ukrainian_name"],
)
def test_round_9_a_misspelt_known_name_finds_its_person(name: str, canonical: str) -> None:
    """A full name whose first names match a known person's and whose surname is a letter or
    two off is that person (the store's own canonicalisation stays exact)."""
    statements = _statements(f"Talks\n\nThe talks will resume on Friday, {name} said.\n")
    assert [c.speaker for c in statements] == [canonical]
    assert load_gazetteer().actor("Sergei Lavrof") is None


def test_round_9_a_different_surname_is_not_a_misspelling() -> None:
    assert load_gazetteer().misspelt_actor("Donald Duck") is None
    assert load_gazetteer().misspelt_actor("Vladimir Putin") is None


@pytest.mark.parametrize(
    ("sentence", "speaker", "quote"),
    [
        (
            "Stubb spoke with Jonas Gahr Store on Tuesday, the Finnish presidency said without "
            "providing details.",
            "Finnish Presidency",
            "Stubb spoke with Jonas Gahr Store on Tuesday",
        ),
        (
            "The truce must hold, Valtonen said, citing the ministry's assessment.",
            "Elina Valtonen",
            "The truce must hold",
        ),
        (
            "Stubb visited a border post, Valtonen confirmed, as reported by the news agency STT.",
            "Elina Valtonen",
            "Stubb visited a border post",
        ),
    ],
    ids=["without_providing_details", "citing", "as_reported_by"],
)
def test_round_9_what_follows_a_closing_attribution_is_not_the_statement(
    sentence: str, speaker: str, quote: str
) -> None:
    text = f"Talks\n\nFinnish Foreign Minister Elina Valtonen arrived on Monday.\n\n{sentence}\n"
    assert [(c.speaker, c.quote) for c in _statements(text)] == [(speaker, quote)]


@pytest.mark.parametrize(
    "sentence",
    [
        "According to Finnish Foreign Minister Elina Valtonen, the government in Oslo is "
        "reviewing the initiative, Tass reported.",
        "According to Finnish Foreign Minister Elina Valtonen, the government in Oslo is "
        "reviewing the initiative, Reuters reported on Monday.",
    ],
    ids=["outlet_reported", "outlet_reported_on_a_day"],
)
def test_round_9_an_outlet_relaying_according_to_does_not_speak(sentence: str) -> None:
    assert [(c.speaker, c.quote) for c in _statements(f"Talks\n\n{sentence}\n")] == [
        ("Elina Valtonen", "the government in Oslo is reviewing the initiative")
    ]


def test_round_9_a_comma_ends_a_name() -> None:
    """'In an interview with Yle, Valtonen said': the outlet before the comma is no first name."""
    text = (
        "Talks\n\nIn an interview with Yle, Valtonen said Finland was ready to host talks. "
        "Helsinki would provide the venue, she said.\n"
    )
    assert {c.speaker for c in _statements(text)} == {"Valtonen"}


def test_round_9_it_after_a_body_is_that_body_and_never_a_person() -> None:
    text = (
        "Talks\n\n"
        "The Norwegian foreign ministry said in a statement that the talks had been useful. "
        "It added that the next round would take place in Bergen.\n\n"
        "Finnish Foreign Minister Elina Valtonen said the talks had been long. "
        "It said nothing about the corridors.\n"
    )
    quotes = {(c.speaker, c.quote) for c in _statements(text)}
    assert ("Norwegian foreign ministry", "the next round would take place in Bergen") in quotes
    assert not any("corridors" in quote for _, quote in quotes)


def test_round_9_a_quotation_paragraph_after_a_sentence_about_a_person_is_theirs() -> None:
    text = (
        "Talks\n\n"
        "Finnish Foreign Minister Elina Valtonen spoke to reporters after the talks.\n\n"
        "\u201cWe will meet again in Bergen. The truce must hold.\u201d\n\n"
        "Norway Hosts The Next Round\n\n"
        "\u201cEveryone is welcome in Bergen.\u201d\n"
    )
    assert [(c.speaker, c.quote) for c in _statements(text)] == [
        ("Elina Valtonen", "We will meet again in Bergen"),
        ("Elina Valtonen", "The truce must hold"),
    ]


def test_round_9_an_international_bodys_chief_is_its_secretary_general() -> None:
    statements = _statements("Talks\n\nThe NATO chief said the talks had been useful.\n")
    assert [c.speaker for c in statements] == ["Mark Rutte"]


def test_round_9_a_top_diplomat_is_a_foreign_minister() -> None:
    text = (
        "Talks\n\nTurkish Foreign Minister Hakan Fidan met Lavrov on Monday. "
        "Turkey's top diplomat said the talks had been useful.\n"
    )
    assert [c.speaker for c in _statements(text)] == ["Hakan Fidan"]


@pytest.mark.parametrize(
    ("sentence", "speaker", "quote"),
    [
        (
            "Finnish Foreign Minister Elina Valtonen went on to explain that the truce must hold.",
            "Elina Valtonen",
            "the truce must hold",
        ),
        (
            "Former Finnish President Sauli Niinisto has since admitted that the truce was a "
            "mistake.",
            "Sauli Niinistö",
            "the truce was a mistake",
        ),
        (
            "The Kremlin continues to demand that Ukrainian forces withdraw from the region.",
            "Kremlin",
            "Ukrainian forces withdraw from the region",
        ),
    ],
    ids=["went_on_to_explain", "has_since_admitted", "continues_to_demand_that"],
)
def test_round_9_verbs_after_went_on_since_and_continues_to(
    sentence: str, speaker: str, quote: str
) -> None:
    assert [(c.speaker, c.quote) for c in _statements(f"Talks\n\n{sentence}\n")] == [
        (speaker, quote)
    ]


def test_round_9_a_demand_as_a_noun_is_no_statement() -> None:
    text = "Talks\n\nThe demand that Kyiv withdraw was rejected. Crowds came to demand bread.\n"
    assert _statements(text) == []


@pytest.mark.parametrize(
    ("sentence", "speaker", "quote"),
    [
        (
            "Her impression is that Russia is not ready for a truce.",
            "Elina Valtonen",
            "Russia is not ready for a truce",
        ),
        ("Moscow's position remains that Kyiv must withdraw.", "Russia", "Kyiv must withdraw"),
    ],
    ids=["her_impression", "moscows_position"],
)
def test_round_9_a_view_that_is_its_owners_statement(
    sentence: str, speaker: str, quote: str
) -> None:
    text = f"Talks\n\nFinnish Foreign Minister Elina Valtonen spoke after the meeting. {sentence}\n"
    assert [(c.speaker, c.quote) for c in _statements(text)] == [(speaker, quote)]


def test_round_9_a_short_handover_keeps_the_speaker_for_the_next_line() -> None:
    text = (
        "Talks\n\n"
        "Finnish Foreign Minister Elina Valtonen commented on the proposal. The truce is an "
        "opportunity, she said at a press conference. But:\n"
        "We will not give up any territory. That is the red line.\n"
    )
    assert ("Elina Valtonen", "We will not give up any territory") in {
        (c.speaker, c.quote) for c in _statements(text)
    }


def test_round_9_a_presidents_chief_of_staff_heads_the_presidents_office() -> None:
    text = "Talks\n\nThe Ukrainian president's chief of staff said the talks had been useful.\n"
    assert [c.speaker for c in _statements(text, published=date(2023, 8, 7))] == ["Andriy Yermak"]
