//! Scoring a pair of claims and deciding their relation.
//!
//! The score combines BM25 over content terms (normalised by the query's
//! self-score, so it reads 0..1 whatever the sentence length) with evidence
//! that matters for facts: equal normalised figures with the same unit,
//! overlapping quotation words, shared day dates. A gate keeps single
//! coincidences out: a match needs shared content words (or quoted words)
//! *and* a second, independent kind of evidence, so equal numbers alone
//! (`in 2002` / `established in 2002`) or one shared name alone never match.
//! It also asks for a shared *subject*: shared names, the same speaker, or
//! articles on the same story ([`SAME_STORY`]), else most of the wording
//! ([`MOST_WORDING`]); an equal figure and a few common words in unrelated
//! articles (`revenues rose 11%` at two firms) do not match.

use super::equivalence;
use super::features::{self, FigureFeature, CARRIES_FIGURE, CARRIES_QUOTE, SPEAKERS_PEOPLE};
use super::store::{Claim, ExtraRef};
use serde::Serialize;

/// How a matching claim relates to the query claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// The same fact, reported consistently.
    SameClaim,
    /// Same subject and unit, values whose ranges cannot overlap
    /// (`conflicting-figure`).
    Conflict,
    /// The same speaker's quotation, worded differently (`quote-variant`).
    QuoteVariant,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::SameClaim => "same-claim",
            Relation::Conflict => "conflict",
            Relation::QuoteVariant => "quote-variant",
        }
    }
}

/// What a term is, for the evidence (bits of the `term_kind` callback).
pub const TERM_ENTITY: u8 = 1;
/// A title or role word (`minister`, `spokesman`): part of attributions.
pub const TERM_TITLE: u8 = 2;

/// BM25 parameters.
pub const K1: f32 = 1.2;
pub const B: f32 = 0.75;

/// Weights of the score. The threshold (`Config::min_match_score`, 1.0 by
/// default) is on the same scale: text similarity alone must reach 0.36
/// (with no shared context), and the gate must pass.
pub const W_TEXT: f32 = 2.8;
pub const W_FIGURE: f32 = 0.7;
pub const W_QUOTE: f32 = 1.15;
pub const W_DATE: f32 = 0.35;
pub const W_CONTEXT: f32 = 1.4;
/// Article [`context`] similarity from which two articles are on one story
/// (articles on one event score 0.2 to 0.3; unrelated ones of a section,
/// business or sport, 0.02 to 0.2).
pub const SAME_STORY: f32 = 0.2;
/// Share of a sentence's BM25 weight (`Evidence::text`) that ties two
/// claims without any other sign of a shared subject.
pub const MOST_WORDING: f32 = 0.5;
/// Shared words (and equal figures) that [`MOST_WORDING`] needs at least.
pub const MOST_WORDING_MIN: usize = 4;

/// The term statistics a score needs.
pub struct Stats<'a> {
    pub n: f32,
    pub avgdl: f32,
    pub df: &'a [u32],
}

impl Stats<'_> {
    pub fn idf(&self, term: u32) -> f32 {
        let df = self.df.get(term as usize).copied().unwrap_or(0) as f32;
        ((self.n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    pub fn bm25_tf(&self, tf: f32, len: f32) -> f32 {
        tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / self.avgdl.max(1.0)))
    }

    /// BM25 of query `q` against `d` (q's terms weighted once each).
    pub fn bm25(&self, q: &Claim, d: &Claim) -> f32 {
        let mut s = 0.0;
        merge(&q.terms, &d.terms, |t, _, tfd| {
            s += self.idf(t) * self.bm25_tf(tfd as f32, d.len as f32);
        });
        s
    }
}

/// A claim's term: `term id << 8 | NAME (a name the sentence writes
/// itself) | NEAR_FIGURE | min(tf, MAX_TF)`, so sorting orders by term.
pub fn term_of(w: u32) -> u32 {
    w >> 8
}

pub fn tf_of(w: u32) -> u32 {
    w & MAX_TF
}

/// Whether a claim's term is one of the names its sentence writes itself
/// (`features::ClaimFeatures::names`).
pub fn is_name(w: u32) -> bool {
    w & NAME != 0
}

/// Whether a claim's term is a name its sentence writes next to one of its
/// figures, not as the figure's source (`features::NEAR_FIGURE`): whose
/// or what the figure is. Always also [`is_name`].
pub fn is_near_figure(w: u32) -> bool {
    w & NEAR_FIGURE != 0
}

/// The flag of [`is_name`] in a packed term.
pub const NAME: u32 = 0x80;
/// The flag of [`is_near_figure`] in a packed term.
pub const NEAR_FIGURE: u32 = 0x40;
/// The largest term frequency a packed term holds.
pub const MAX_TF: u32 = 0x3f;

/// Walk the common terms of two sorted packed term lists.
pub fn merge(a: &[u32], b: &[u32], mut f: impl FnMut(u32, u32, u32)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match term_of(a[i]).cmp(&term_of(b[j])) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                f(term_of(a[i]), tf_of(a[i]), tf_of(b[j]));
                i += 1;
                j += 1;
            }
        }
    }
}

fn count_common(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The evidence behind a pair's score.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// BM25(q, d) / BM25(q, q), capped at 1.
    pub text: f32,
    /// The same read from the other side, BM25(d, q) / BM25(d, d): set by
    /// [`read_back`] for pairs whose figures disagree, so that a conflict
    /// is one from either article; else equal to `text`.
    pub text_back: f32,
    /// Shared content words (not names), distinct.
    pub words: usize,
    /// Shared names, distinct.
    pub entities: usize,
    /// Pairs of equal figures (same value and unit).
    pub equal_figures: usize,
    /// Shared quoted words, and their share of the smaller quotation.
    pub quote_words: usize,
    pub quote_ratio: f32,
    /// Of the equal figures, those with a specific value (two or more
    /// significant digits: `1,458`, `2.5`; not `8`, `80`, `3 million`).
    pub specific_figures: usize,
    /// Equal values counting different things (`eight people` / `eight
    /// members` of another unit).
    pub same_value: usize,
    /// Shared day dates (`november 1`).
    pub dates: usize,
    /// Similarity of the two articles' contexts (0..1).
    pub context: f32,
}

/// Similarity of two articles' contexts (their main terms, sorted ids):
/// idf mass of the shared terms over the geometric mean of their masses.
pub fn context(stats: &Stats, q: &[u32], q_mass: f32, d: &[u32]) -> f32 {
    let (mut i, mut j, mut shared, mut d_mass) = (0, 0, 0.0f32, 0.0f32);
    while j < d.len() {
        let w = stats.idf(d[j]);
        d_mass += w;
        while i < q.len() && q[i] < d[j] {
            i += 1;
        }
        if i < q.len() && q[i] == d[j] {
            shared += w;
        }
        j += 1;
    }
    if q_mass <= 0.0 || d_mass <= 0.0 {
        return 0.0;
    }
    shared / (q_mass * d_mass).sqrt()
}

/// Score `d` as a match for `q`. `self_score` is BM25(q, q); `ctx` the
/// [`context`] similarity of their articles. Returns `None` when the gate
/// refuses the pair (see the module docs).
pub fn score(
    stats: &Stats,
    q: &Claim,
    d: &Claim,
    self_score: f32,
    ctx: f32,
    term_kind: impl Fn(u32) -> u8,
) -> Option<(f32, Evidence)> {
    let (s, ev, pass) = evaluate(stats, q, d, self_score, ctx, term_kind);
    pass.then_some((s, ev))
}

/// [`score`] without the gate: the score, the evidence, and whether the
/// gate lets the pair through.
pub fn evaluate(
    stats: &Stats,
    q: &Claim,
    d: &Claim,
    self_score: f32,
    ctx: f32,
    term_kind: impl Fn(u32) -> u8,
) -> (f32, Evidence, bool) {
    let mut ev = Evidence::default();
    let mut bm = 0.0;
    let (qx, dx) = (q.extra(), d.extra());
    // Quotations on both sides: whose are they?
    let both_quoted = q.carries & d.carries & CARRIES_QUOTE != 0
        && !qx.speakers.is_empty()
        && !dx.speakers.is_empty();
    let same_speaker = both_quoted && count_common(&qx.speakers, &dx.speakers) > 0;
    // Different people quoted: their words are their own statements, no
    // evidence of the same claim (`will take "active steps" to ensure its
    // security` by one, `all necessary steps to ensure our security` by
    // another).
    let other_people = both_quoted && !same_speaker && q.carries & d.carries & SPEAKERS_PEOPLE != 0;
    let quoted = |t: u32| {
        qx.quote_words.binary_search(&t).is_ok() || dx.quote_words.binary_search(&t).is_ok()
    };
    // Shared words that are not titles (`foreign minister` belongs to the
    // attribution).
    let mut plain_words = 0;
    merge(&q.terms, &d.terms, |t, _, tfd| {
        if other_people && quoted(t) {
            return;
        }
        bm += stats.idf(t) * stats.bm25_tf(tfd as f32, d.len as f32);
        let kind = term_kind(t);
        if kind & TERM_ENTITY != 0 {
            ev.entities += 1;
        } else {
            ev.words += 1;
            plain_words += (kind & TERM_TITLE == 0) as usize;
        }
    });
    ev.text = if self_score > 0.0 {
        (bm / self_score).min(1.0)
    } else {
        0.0
    };
    ev.text_back = ev.text;
    for a in &q.figures {
        if d.figures.iter().any(|b| a.equals(b)) {
            ev.equal_figures += 1;
            ev.specific_figures += specific(a.value) as usize;
        } else if d.figures.iter().any(|b| a.same_value(b)) {
            ev.same_value += 1;
        }
    }
    if !other_people && !qx.quote_words.is_empty() && !dx.quote_words.is_empty() {
        ev.quote_words = count_common(&qx.quote_words, &dx.quote_words);
        ev.quote_ratio =
            ev.quote_words as f32 / qx.quote_words.len().min(dx.quote_words.len()) as f32;
    }
    ev.dates = count_common(&qx.dates, &dx.dates);

    // A shared figure's key is a term too: it is not a shared word.
    ev.words = ev.words.saturating_sub(ev.equal_figures);
    // Gate: shared wording (a figure with its noun counts), plus a second
    // kind of evidence. An equal figure is a kind of its own when its value
    // is specific (`1,458`, `$2.5bn`), a round one (`three executives`,
    // `80%`, common across unrelated stories) only beside a shared name.
    let worded = ev.words + ev.equal_figures >= 2 || ev.quote_words >= 3;
    let figure_kind = ev.specific_figures >= 1 || ev.equal_figures >= 1 && ev.entities >= 1;
    let kinds = (ev.words >= 2) as u8
        + (ev.entities >= 1) as u8
        + figure_kind as u8
        + (ev.quote_words >= 3) as u8
        + (ev.dates >= 1) as u8;
    // Or much of the wording itself: three shared content words that carry
    // a quarter of the sentence's weight are no single coincidence.
    let mut pass = worded && kinds >= 2 || ev.words >= 3 && ev.text >= 0.25;
    // The same speaker quoted in other words: the name and title are the
    // attribution, not the claim; a figure, a date or the sentences' own
    // wording must tie two statements together.
    if same_speaker && !variant_words(&ev) {
        pass &= ev.equal_figures >= 1 || ev.dates >= 1 || plain_words >= 3;
    }
    // Same subject: two claims report one fact only if they are about the
    // same thing. Shared names tie them, or the same speaker, or articles
    // on the same story; failing those, only most of the sentence's own
    // wording does. A figure and a few words in common are not enough on
    // their own (`revenues rose 11%` at two firms; `the jobless total rose`
    // in two countries, years apart). A single shared name also needs the
    // articles to be a little alike (one place, `Tokyo`, names no subject).
    // Most of the wording means four words or more (a shared figure counts
    // as one): a short sentence's three everyday words (`decide whether to
    // go ahead`, `follow suit`) are an idiom, not a subject.
    let subject = ev.entities >= 2
        || ev.entities >= 1 && ctx >= SAME_STORY / 2.0
        || same_speaker
        || ctx >= SAME_STORY
        || ev.text >= MOST_WORDING && ev.words + ev.equal_figures >= MOST_WORDING_MIN;
    pass &= subject;
    // Same time: sentences that name different times (months, years, parts
    // of the day, or days: `in March` / `in June`, `on 11 March` / `on 2
    // December`) and none in common report different facts, however alike
    // (`the jobless total rose in December` / `in March`).
    pass &= !other_times(q, d);
    let quote = if ev.quote_words >= 2 {
        ev.quote_ratio
    } else {
        0.0
    };
    ev.context = ctx;
    let s = W_TEXT * ev.text
        + W_CONTEXT * ctx
        + W_FIGURE * ev.equal_figures.min(2) as f32
        + 0.5 * W_FIGURE * ev.same_value.min(1) as f32
        + W_QUOTE * quote
        + W_DATE * ev.dates.min(1) as f32;
    (s, ev, pass)
}

/// Whether two claims' figures disagree: some of the same unit, and none
/// of those agree (`eight people` / `five people`), nor is one the sum of
/// the other's (`50,000 tonnes … and 25,000` / `75,000 tonnes`). A value
/// the other sentence states too, as another of its figures, is that
/// figure's, not a different count of the same thing (`a poll of 73
/// constituencies predicted a majority of 92 seats` / `a poll of 73
/// seats`: the 73 are the poll's, not the majority).
pub fn disagree(q: &Claim, d: &Claim) -> bool {
    disagree_in(q, d, &[q], &[d])
}

/// [`disagree`], where each claim is read with the other clauses of its
/// sentence (`q_sentence`, `d_sentence`: the claims of one sentence split
/// into clauses, [`super::clauses`]): a value another clause states is that
/// clause's (`200 people are feared dead, but 350 passengers were
/// rescued` / `200 people perished`: the 350 are not the dead).
pub fn disagree_in(q: &Claim, d: &Claim, q_sentence: &[&Claim], d_sentence: &[&Claim]) -> bool {
    if q.carries & d.carries & CARRIES_FIGURE == 0 {
        return false;
    }
    let stated = |v: f64, sentence: &[&Claim]| {
        sentence
            .iter()
            .flat_map(|c| c.figures.iter())
            .any(|x| features::close(x.value, v))
    };
    let mut conflict = false;
    for a in &q.figures {
        for b in &d.figures {
            if a.unit.is_some() && a.unit == b.unit {
                if a.agrees(b) {
                    return false;
                }
                if !stated(b.value, q_sentence) && !stated(a.value, d_sentence) {
                    conflict = true;
                }
            }
        }
    }
    conflict && !sums_up(q, d) && !sums_up(d, q)
}

/// Whether a figure of `whole` is the sum of two or more plain figures of
/// `parts` in its unit (ranges and changes are no parts).
fn sums_up(parts: &Claim, whole: &Claim) -> bool {
    whole.figures.iter().any(|w| {
        let (mut n, mut sum) = (0, 0.0);
        for p in &parts.figures {
            if p.unit.is_some() && p.unit == w.unit && p.value_to().is_none() {
                n += 1;
                sum += p.value;
            }
        }
        n >= 2 && w.value_to().is_none() && (sum - w.value).abs() <= 1e-9 * w.value.abs().max(1.0)
    })
}

/// How far apart two counts may be and still be two reports of one
/// quantity, when they count people (`3,400 residents evacuated` / `about
/// 2,100 residents`; police and organisers on one crowd) or are both small
/// whole numbers, at most [`SMALL_COUNT`]: a factor of three (a dispute,
/// `only four were expelled` / `nine were expelled`).
pub const MAX_COUNT_RATIO: f64 = 3.0;

/// A count a reporter makes by hand (people expelled, killed, arrested):
/// two reports of it may differ by more than a measure's do.
pub const SMALL_COUNT: f64 = 20.0;

/// How far apart two other figures of one unit may be and still be two
/// reports of one quantity: half as much again (`23.2 pct` / `23.3 pct`,
/// `$4.4bn` / `$5bn`, `73 pct` / `93 pct` of the votes). Further apart,
/// they measure different things (a bond's `premium of 91 basis points` /
/// another's `30 basis points`; one month's `0.2 pct` rise / another
/// country's `0.4 pct`; one film's `$17.1m` weekend / another's `$40.8m`):
/// no conflict, and no match. On the 21k workspace, of the conflicts
/// `factlens check` reported further apart than this, nearly all read by
/// hand were two facts.
pub const MAX_CONFLICT_RATIO: f64 = 1.5;

/// The ratio two values of `unit` may differ by and still report one
/// quantity ([`MAX_COUNT_RATIO`] for people and two small counts, else
/// [`MAX_CONFLICT_RATIO`]); `x` and `y` are positive.
fn within_ratio(x: f64, y: f64, unit: &str) -> bool {
    let small = |v: f64| v <= SMALL_COUNT && v.fract() == 0.0;
    let limit = if unit == equivalence::PERSON || small(x) && small(y) {
        MAX_COUNT_RATIO
    } else {
        MAX_CONFLICT_RATIO
    };
    x.max(y) <= limit * x.min(y)
}

/// Whether two claims whose figures [`disagree`] could be giving one
/// quantity: some pair of figures of one unit within [`within_ratio`]
/// of each other (range ends count).
pub fn one_measure(q: &Claim, d: &Claim) -> bool {
    q.figures
        .iter()
        .any(|a| d.figures.iter().any(|b| same_measure(a, b)))
}

/// Two figures of one unit within [`within_ratio`] of each other (range
/// ends count).
fn same_measure(a: &FigureFeature, b: &FigureFeature) -> bool {
    let ends = |f: &FigureFeature| [Some(f.value), f.value_to()];
    a.unit.is_some()
        && a.unit == b.unit
        && ends(a).into_iter().flatten().any(|x| {
            ends(b).into_iter().flatten().any(|y| {
                let (x, y) = (x.abs(), y.abs());
                x > 0.0 && y > 0.0 && within_ratio(x, y, a.unit.as_deref().unwrap_or(""))
            })
        })
}

/// Whether `d`, a claim whose figures [`disagree`] with the query's, gives
/// another value for the query's figure `a`: a figure of `d` of its
/// measure ([`same_measure`]) that is not equal. When another sentence
/// of `d`'s article states `a` itself, `d` reports another fact: an
/// article does not contradict what it states (`25 pct thought their order
/// books below normal` / the next sentence, `at 23 pct, the share rating
/// them above normal`). Only the figure in dispute counts: a sentence
/// repeating the query's price, not its coupon, leaves the coupon in
/// dispute.
pub fn gives_another(a: &FigureFeature, d: &Claim) -> bool {
    d.figures.iter().any(|b| !a.equals(b) && same_measure(a, b))
}

/// Whether two claims whose figures [`disagree`] differ in two figures or
/// more on each side: one wording filled in with another fact's figures
/// (a wire service's `Qtly div 11 cts vs 9 cts prior`, a bond issue's
/// amount and yield, a crop forecast against last month's), not one fact
/// misreported, which differs in one figure (`a 23.2 pct stake` / `a
/// 23.3 pct stake`). Such a pair is no conflict, and no match.
///
/// Durations count as one measure whatever their unit: `17 bln dlrs of
/// 9-day and 20-day bills` / `13.2 bln dlrs of three and six-month bills`
/// are two auctions, not one misreported.
pub fn every_figure_differs(q: &Claim, d: &Claim) -> bool {
    let met = |a: &Claim, b: &Claim| {
        a.figures
            .iter()
            .filter(|f| {
                let dim = dimension(f);
                dim.is_some() && b.figures.iter().any(|g| dimension(g) == dim)
            })
            .count()
    };
    met(q, d) >= 2 && met(d, q) >= 2
}

/// A figure's unit, durations all as one (`day`, `six-month`'s `month`).
fn dimension(f: &FigureFeature) -> Option<&'static str> {
    f.unit.map(|u| match u.as_str() {
        "second" | "minute" | "hour" | "day" | "week" | "month" | "year" | "decade" | "century" => {
            "duration"
        }
        other => other,
    })
}

/// Whether one of two claims whose figures [`disagree`] states them as
/// expected or planned and the other as done (`hog prices are expected 50
/// cents higher` / `hog prices advanced 1.25 dlrs`; `will tender for
/// 3,000 tonnes` / `bought 5,000 tonnes`): a plan and an outcome are two
/// facts, neither wrong. Two forecasts that differ still conflict.
pub fn plan_and_outcome(q: &Claim, d: &Claim) -> bool {
    (q.carries ^ d.carries) & features::FIGURES_MODAL != 0
}

/// Whether two claims whose figures [`disagree`] give different
/// statistics: one an average and the other not (`the bonus was 233.91
/// dlrs` / `the bonuses averaged 116.84 dlrs`), or one a maximum or
/// minimum (`the top rate was 9.53 pct` / `the average rate 9.52 pct`).
/// Two averages, or two plain values, can conflict.
pub fn other_statistic(q: &Claim, d: &Claim) -> bool {
    (q.carries ^ d.carries) & (features::FIGURES_AVERAGE | features::FIGURES_EXTREME) != 0
}

/// Whether two claims whose figures [`disagree`] are of a month and of a
/// quarter (`features::month_and_quarter`): two periods, not one fact.
pub fn month_and_quarter(q: &Claim, d: &Claim) -> bool {
    features::month_and_quarter(q.times(), d.times())
}

/// Whether, of two claims whose figures [`disagree`], one names its month
/// as `last month` in an undated article and the other names a month
/// (`features::relative_and_named_month`): one time is not shown.
pub fn relative_and_named_month(q: &Claim, d: &Claim) -> bool {
    features::relative_and_named_month(q.times(), d.times())
}

/// Whether two claims whose figures [`disagree`] give places in a ranking
/// and none in common (`entered the chart in second place` / `moved down
/// to fourth place`; `currently fifth` / `currently sixth`): two moments
/// of a chart or a table, each figure right at its own.
pub fn other_rank(q: &Claim, d: &Claim) -> bool {
    let (a, b) = (q.ranks(), d.ranks());
    a != 0 && b != 0 && a & b == 0
}

/// Whether of two claims whose figures [`disagree`] one states a running
/// total or a balance (`purchases to date`, `still available`;
/// `features::running_total`) and their articles are not known to be of
/// one day (`q_date`, `d_date`: `features::pack_date`, 0 unknown): the
/// total moves between the two reports, neither is wrong.
pub fn running_total(q: &Claim, d: &Claim, q_date: u32, d_date: u32) -> bool {
    (q.running() || d.running()) && !(q_date != 0 && q_date == d_date)
}

/// Whether two claims whose figures [`disagree`] name one month, only one
/// with a year (`features::month_of_another_year`): two years' figures.
pub fn month_of_another_year(q: &Claim, d: &Claim) -> bool {
    features::month_of_another_year(q.times(), d.times())
}

/// Whether two claims whose figures [`disagree`] each name a period by two
/// day dates or more, and not the same ones (`from March 20 to March 31` /
/// `from March 11 through March 20`): two periods' figures, though one day
/// is in both.
pub fn other_period(q: &Claim, d: &Claim) -> bool {
    let (qx, dx) = (q.extra(), d.extra());
    qx.dates.len() >= 2 && dx.dates.len() >= 2 && *qx.dates != *dx.dates
}

/// Whether, of two claims whose figures [`disagree`], one gives them for a
/// fiscal year and the other names a year and no fiscal one
/// (`features::fiscal_year`): `in the year to March 2004` / `in 2004` are
/// two periods.
pub fn fiscal_and_calendar(q: &Claim, d: &Claim) -> bool {
    let calendar = |c: &Claim| !c.fiscal() && features::names_year(c.times());
    q.fiscal() && calendar(d) || d.fiscal() && calendar(q)
}

/// What an article says of when and of whom its claims are: its date
/// ([`features::pack_date`], 0: unknown) and its main names (term ids).
#[derive(Debug, Clone, Copy)]
pub struct Setting<'a> {
    pub date: u32,
    /// Where its dateline says it was filed
    /// ([`features::place_hash`], 0: no dateline).
    pub place: u32,
    /// The companies it names by stock ticker
    /// ([`features::ticker_mask`], 0: none).
    pub tickers: u64,
    /// Whom its title says it is about ([`features::lead_mask`], 0: no
    /// one known).
    pub leads: u64,
    pub names: &'a [u32],
    /// Its context terms ([`context`]), sorted.
    pub context: &'a [u32],
}

/// Whether two matched claims (the gate has refused [`other_times`])
/// whose figures [`disagree`] are about one fact, and so conflict.
///
/// - **One time.** Not when their articles are of different days (a
///   figure that changes, a weekly total) unless the sentences name the
///   same day (`on March 21` in both).
/// - **One subject, shown.** A conflict is a warning: the pair needs
///   positive evidence that both report the same thing, and two figures
///   of one wording are no such evidence (`Qtly div 11 cts` / `Qtly div
///   20 cts`, two firms). The evidence is, in order:
///   1. Not when each figure is written next to a name absent from the
///      other sentence and the two are next to no name in common
///      (`Argentina's crop at 14 mln` / `Australia's crop at 17 mln`),
///      whatever the articles say elsewhere; a figure's source is not
///      next to it in this sense (`the Agriculture Department forecast`).
///   2. Not when each sentence names a subject of its own, absent from the
///      other sentence and from the other article's context (`Midway
///      Airlines … load factor` / `Eastern Airlines … load factor`).
///   3. The articles' distinctive main names: both articles have some,
///      and one of either is in the other's context; if none is, two
///      subjects (a shared name is then the source both cite, `said lead
///      manager Brantley Securities`). A main name crossing counts only
///      between stories whose titles do not name two subjects (by ticker,
///      `GTE <GTE>` / `AMERICAN ELECTRIC <AEP>`, or by a main name,
///      `Fockers retain film chart crown` / `Ocean's Twelve raids box
///      office`): there it is a passing mention of the other's subject.
///   4. Failing main names, a name one sentence writes and the other has,
///      or the same speaker quoted.
///
/// A sentence's names are those it writes itself ([`is_name`]): not its
/// capitalised first word (`Revenues rose`) nor a wire dateline's place.
/// `distinctive` tells a name from one too common in the workspace to
/// mark a subject (`Inc`, `U.S.`); `own_subject`, more lenient, tells the
/// names that rule 2 counts (`Australia`). `q_at` is `None` for a claim
/// outside the index (nothing known of its article: past rule 1, the pair
/// is taken as one fact).
pub fn comparable(
    q: &Claim,
    d: &Claim,
    q_at: Option<Setting>,
    d_at: Setting,
    distinctive: impl Fn(u32) -> bool,
    own_subject: impl Fn(u32) -> bool,
) -> bool {
    // Each figure next to a name of its own, absent from the other
    // sentence, and to none they share: two subjects (`Argentina's crop at
    // 14 mln tonnes` / `Australia's crop at 17 mln tonnes`), however
    // common the names and whatever else the articles say. A name next to
    // both figures ties them (`Vestrand Ltd's 23.2 pct stake in Kell
    // Mines` / `its 23.3 pct interest in Canadian producer Kell Mines`).
    let near_own = |c: &Claim, other: &Claim| {
        c.terms
            .iter()
            .any(|&w| is_near_figure(w) && !has_term(other, term_of(w)))
    };
    let near_both = q.terms.iter().any(|&w| {
        is_near_figure(w)
            && d.terms
                .binary_search_by_key(&term_of(w), |&v| term_of(v))
                .is_ok_and(|k| is_near_figure(d.terms[k]))
    });
    if near_own(q, d) && near_own(d, q) && !near_both {
        return false;
    }
    let Some(q_at) = q_at else {
        return true;
    };
    let (qx, dx) = (q.extra(), d.extra());
    if features::other_days(q_at.date, d_at.date) && count_common(&qx.dates, &dx.dates) == 0 {
        return false;
    }
    let names = |c: &Claim, keep: &dyn Fn(u32) -> bool| -> Vec<u32> {
        c.terms
            .iter()
            .filter(|&&w| is_name(w))
            .map(|&w| term_of(w))
            .filter(|&t| keep(t))
            .collect()
    };
    let (q_names, d_names) = (names(q, &distinctive), names(d, &distinctive));
    let own = |c: &Claim, other: &Claim, other_context: &[u32]| {
        names(c, &own_subject)
            .iter()
            .any(|&t| !has_term(other, t) && other_context.binary_search(&t).is_err())
    };
    if own(q, d, d_at.context) && own(d, q, q_at.context) {
        return false;
    }
    let mut q_main = q_at.names.iter().filter(|&&t| distinctive(t)).peekable();
    let mut d_main = d_at.names.iter().filter(|&&t| distinctive(t)).peekable();
    let mains = q_main.peek().is_some() && d_main.peek().is_some();
    let mains_cross = q_main.any(|n| d_at.context.binary_search(n).is_ok())
        || d_main.any(|n| q_at.context.binary_search(n).is_ok());
    if mains && !mains_cross {
        return false;
    }
    // Filed from two places (`SIOUX CITY` / `OMAHA`, `SYDNEY` /
    // `SINGAPORE`), figures that only a name or a speaker ties are two
    // markets' quotes of one kind (`Heifers at 66.00 dlrs`); a dispute of
    // one story reported from two places shares its main names.
    if q_at.place != 0 && d_at.place != 0 && q_at.place != d_at.place && !mains_cross {
        return false;
    }
    // Stories led by two subjects (their titles' tickers and main names,
    // none shared): one's main name that the other mentions in passing
    // (`UBS won GTE Corp's debentures this morning`, in a story of another
    // firm's bonds) ties nothing; the sentences must name their subject
    // themselves.
    let leads_apart = other_companies(q_at.leads, d_at.leads);
    mains_cross && !leads_apart
        || q_names.iter().any(|&t| has_term(d, t))
        || d_names.iter().any(|&t| has_term(q, t))
        || count_common(&qx.speakers, &dx.speakers) > 0
}

/// Whether, of two stories led by two subjects (their [`Setting::leads`]
/// share nothing), a sentence names its own story's subject, which the
/// other sentence does not name: `the decrease brings Marathon's posted
/// price to 16.50 dlrs`, in Marathon's story, against `its posted price`
/// in Diamond Shamrock's. `lead_bit` gives a term's bit of a lead mask.
pub fn names_own_lead(
    q: &Claim,
    d: &Claim,
    q_leads: u64,
    d_leads: u64,
    lead_bit: impl Fn(u32) -> u64,
) -> bool {
    if !other_companies(q_leads, d_leads) {
        return false;
    }
    let own = |c: &Claim, other: &Claim, leads: u64| {
        c.terms.iter().any(|&w| {
            is_name(w) && lead_bit(term_of(w)) & leads != 0 && !has_term(other, term_of(w))
        })
    };
    own(q, d, q_leads) || own(d, q, d_leads)
}

/// Whether claim `c` holds term `t`.
fn has_term(c: &Claim, t: u32) -> bool {
    c.terms.binary_search_by_key(&t, |&w| term_of(w)).is_ok()
}

/// Whether two articles name companies by stock ticker and none in common
/// ([`features::ticker_mask`]): `OWENS AND MINOR INC <OBOD>` and `TULTEX
/// CORP <TTX>` announce two dividends, and no sentence of one reports a
/// fact of the other. A story of two companies names both (`GAF <GAF>
/// raises its Borg-Warner <BOR> bid` / `Borg-Warner <BOR> agrees`).
pub fn other_companies(q_tickers: u64, d_tickers: u64) -> bool {
    q_tickers != 0 && d_tickers != 0 && q_tickers & d_tickers == 0
}

/// Whether two claims name different times and none in common: months,
/// years or parts of the day ([`features::other_times`]), or day dates.
pub fn other_times(q: &Claim, d: &Claim) -> bool {
    if features::other_times(q.times(), d.times()) {
        return true;
    }
    let (qx, dx) = (q.extra(), d.extra());
    !qx.dates.is_empty() && !dx.dates.is_empty() && count_common(&qx.dates, &dx.dates) == 0
}

/// Whether the quoted words two quotations share make them one statement
/// in other words: most of the shorter one's words, or four words or more
/// (`equitable dialogue and joint work` / `any equal dialogue or joint
/// work`). Two or three words of one speaker's long quotations (`people`,
/// `offer`) are the speaker's habits, not one statement.
pub fn variant_words(ev: &Evidence) -> bool {
    ev.quote_words >= 4 || ev.quote_words >= 2 && ev.quote_ratio > 0.5
}

/// Whether two quotations of one speaker that match are one statement
/// worded differently (a `quote-variant`): they share half of the shorter
/// one's quoted words or more. Four words of two long quotations (`rates`,
/// `economy`, `growth`, `policy`) are the speaker's subject, not one
/// statement: such a pair is the same claim, not a variant.
pub fn one_statement(ev: &Evidence) -> bool {
    ev.quote_words >= 2 && ev.quote_ratio >= 0.5
}

/// Fill in [`Evidence::text_back`]: how much of `d`'s own wording `q`
/// shares, as `d`'s query would read it.
pub fn read_back(
    stats: &Stats,
    q: &Claim,
    d: &Claim,
    ev: &mut Evidence,
    term_kind: impl Fn(u32) -> u8,
) {
    let (_, back, _) = evaluate(stats, d, q, stats.bm25(d, d), ev.context, term_kind);
    ev.text_back = back.text;
}

/// Decide the relation of a matched pair whose figures do or do not
/// [`disagree`] (as read with their sentences: [`disagree_in`]).
pub fn relation(q: &Claim, d: &Claim, ev: &Evidence, disagree: bool) -> Relation {
    // Same subject: the sentences say much the same besides the figure.
    if disagree && ev.text.min(ev.text_back) >= 0.35 {
        return Relation::Conflict;
    }
    let (qx, dx) = (q.extra(), d.extra());
    if q.carries & CARRIES_QUOTE != 0
        && d.carries & CARRIES_QUOTE != 0
        && !qx.speakers.is_empty()
        && count_common(&qx.speakers, &dx.speakers) > 0
        && one_statement(ev)
        && varied_quotes(q, d).is_some()
    {
        return Relation::QuoteVariant;
    }
    Relation::SameClaim
}

/// The quotation of `q` and the quotation of `d` (indices into their
/// `quotes()`) that are one statement worded differently: of all pairs,
/// the one sharing the most quoted words, if it shares half of the shorter
/// one's words or more ([`one_statement`]) and their words differ. A
/// sentence quoting two passages is not a variant of one of them through
/// the other (`"amazing opportunity"` and `"gone AWOL"` in one, `"gone
/// AWOL"` in the other), nor are two quotations that differ only in
/// punctuation or inflection.
pub fn varied_quotes(q: &Claim, d: &Claim) -> Option<(usize, usize)> {
    let (qx, dx) = (q.extra(), d.extra());
    let mut best: Option<(usize, f32, usize, usize)> = None;
    for i in 0..qx.quotes.len() {
        let a = qx.quote_words_of(i);
        if a.is_empty() {
            continue;
        }
        for j in 0..dx.quotes.len() {
            let b = dx.quote_words_of(j);
            if b.is_empty() {
                continue;
            }
            let n = count_common(&a, &b);
            let ratio = n as f32 / a.len().min(b.len()) as f32;
            if best.is_none_or(|(bn, br, _, _)| (n, ratio) > (bn, br)) {
                best = Some((n, ratio, i, j));
            }
        }
    }
    let (n, ratio, i, j) = best?;
    let ev = Evidence {
        quote_words: n,
        quote_ratio: ratio,
        ..Evidence::default()
    };
    let (a, b) = (qx.quote_words_of(i), dx.quote_words_of(j));
    // A passage whose words the other quotation says in the same order,
    // none between them, is a fragment of it, quoted as said (`promised
    // "firm but fair" controls` / `you have to have firm but fair
    // immigration controls`; not `I hope it was a temporary blip` / `I
    // would hope that it would simply be a temporary blip`), unless other
    // passages of its sentence are fragments of that statement too:
    // pieced together, they reword it (`described its "partnership with
    // NATO" as "exhausted"`).
    let pieced = |x: &ExtraRef, k: usize, other: &[u32]| {
        (0..x.quotes.len()).any(|m| {
            let w = x.quote_words_of(m);
            m != k && !w.is_empty() && count_common(&w, other) == w.len()
        })
    };
    // (In the order of all its words, small ones included: `Nobody in
    // this town will pay for these repairs` is no fragment of `No family
    // in this town will pay for the repairs`.)
    let ([q0, q1], [d0, d1]) = (qx.quote_pairs_of(i), dx.quote_pairs_of(j));
    let fragment = n == a.len().min(b.len())
        && if a.len() <= b.len() {
            q0 & !d0 | q1 & !d1 == 0 && !pieced(&qx, i, &b)
        } else {
            d0 & !q0 | d1 & !q1 == 0 && !pieced(&dx, j, &a)
        };
    // One statement says two of its quoted words in a row alike
    // (`features::phrase_hash`), or most of the shorter one's words
    // (`abused the trust of our people` / `betrayed the trust of the
    // Valdorian people`): two quotations that share no pair of successive
    // words are two statements of one speaker on one subject (`the
    // attitude in Korea is both reasonable and fair` / `get a reasonable
    // trade bill`).
    let shared_phrases = {
        let (x, y) = (qx.quote_phrases_of(i), dx.quote_phrases_of(j));
        x.iter().filter(|h| y.binary_search(h).is_ok()).count()
    };
    let said_alike = shared_phrases >= 1 || ratio > 0.6;
    (one_statement(&ev) && a != b && !fragment && said_alike).then_some((i, j))
}

/// How many numbers [`features`] gives a pair.
pub const N_FEATURES: usize = 9;

/// The evidence of a pair as numbers (the last one a bias, always 1), for
/// fitting and comparing scores (`server/examples/fit_matching.rs`).
pub fn features(ev: &Evidence) -> [f32; N_FEATURES] {
    let quote = if ev.quote_words >= 2 {
        ev.quote_ratio
    } else {
        0.0
    };
    [
        ev.text,
        (ev.words as f32).ln_1p(),
        (ev.entities as f32).ln_1p(),
        ev.equal_figures.min(2) as f32,
        ev.same_value.min(1) as f32,
        quote,
        ev.dates.min(1) as f32,
        ev.context,
        1.0,
    ]
}

/// A value with two or more significant digits (`25`, `1,458`, `2.5`), as
/// opposed to a round one (`8`, `80`, `3,000,000`) that many unrelated
/// stories share.
pub fn specific(v: f64) -> bool {
    let s = format!("{:.6}", v.abs());
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0').trim_end_matches('0');
    digits.len() >= 2
}
