from __future__ import annotations

from parsers.normalize import label_key, normalize_text


def test_normalize_text_simplifies_traditional_and_drops_pinyin() -> None:
    assert normalize_text("根據(jù)統(tǒng)計") == "根据统计"
    assert normalize_text("政府資訊公開工作年度報告") == "政府信息公开工作年度报告"


def test_normalize_text_folds_full_width_digits_and_keeps_enumeration_comma() -> None:
    assert normalize_text("２０２３年、（一）") == "2023年、(一)"


def test_label_key_joins_broken_headers_and_unifies_quotes() -> None:
    assert label_key("本年新\n制作数量") == "本年新制作数量"
    assert label_key("3.危及「三安全一稳定」") == label_key("3.危及“三安全一稳定”") == '3.危及"三安全一稳定"'


def test_label_key_drops_explanations_but_keeps_enumerators() -> None:
    assert label_key("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == "(二)部分公开"
    assert label_key("规章（设区的市、自治州人民政府应提供相关数据）") == "规章"


def test_label_key_removes_line_breaks_before_converting_words() -> None:
    assert label_key("4.無正當理由大量反\n覆申請") == "4.无正当理由大量反复申请"
