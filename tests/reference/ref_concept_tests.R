# R reference values for the rank tests that compare meeting-place concepts on their feedback
# forms (surveykit.participation._concept_tests): kruskal.test across concepts and
# pairwise.wilcox.test (normal approximation with continuity correction, Holm) between them.
# Unweighted by design: the forms are a self-selected sample. The forms are made here (ties on
# every scale, a concept with too few forms, "don't know" as NA) and written into the JSON.
# Run from the repository root:  Rscript tests/reference/ref_concept_tests.R
suppressPackageStartupMessages(library(jsonlite))
options(digits = 15)
set.seed(20261203)
concept <- rep(c("cafe", "walk", "quiz", "tiny"), c(14, 11, 9, 3))
n <- length(concept)
forms <- data.frame(
  concept = concept,
  satisfaction = sample(c(1:5, NA), n, replace = TRUE, prob = c(1, 1, 2, 3, 3, 0.5)),
  come_again = sample(1:4, n, replace = TRUE),
  recommend = sample(0:10, n, replace = TRUE)
)
forms$satisfaction[forms$concept == "walk"] <- pmin(5, forms$satisfaction[forms$concept == "walk"] + 1)
kept <- c("cafe", "walk", "quiz")  # "tiny" has fewer than 5 forms and takes no part
overall <- list()
pairs <- list()
for (item in c("satisfaction", "come_again", "recommend")) {
  d <- forms[forms$concept %in% kept & !is.na(forms[[item]]), ]
  g <- factor(d$concept, levels = kept)
  kw <- kruskal.test(d[[item]], g)
  overall[[item]] <- list(n = nrow(d), H = unname(kw$statistic), df = unname(kw$parameter),
                          p_value = kw$p.value)
  pw <- suppressWarnings(pairwise.wilcox.test(d[[item]], g, p.adjust.method = "holm",
                                              exact = FALSE, correct = TRUE))$p.value
  for (a in seq_along(kept)) for (b in seq_along(kept)) if (a < b) {
    pairs[[length(pairs) + 1]] <- list(item = item, concept_a = kept[a], concept_b = kept[b],
                                       p_holm = pw[kept[b], kept[a]])
  }
}
write_json(list(r_version = R.version.string, forms = forms, overall = overall, pairs = pairs),
           "tests/reference/ref_concept_tests.json", digits = NA, auto_unbox = TRUE,
           pretty = TRUE, na = "null")
