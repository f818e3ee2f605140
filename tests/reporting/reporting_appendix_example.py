"""Build a realistic appendix (reputation survey, synthetic data) for the reporting tests."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

import surveykit as sk

REGION = [3403, 3411, 3412, 3413]


def weighted_design(n: int = 600, seed: int = 7) -> tuple[sk.Instrument, sk.SurveyDesign,
                                                            dict]:
    """A raked design on synthetic reputation data, and the fieldwork dispositions."""
    inst = sk.load_instrument("reputation", version="2.0.0")
    raw = sk.generate_responses(inst, n, seed=seed, quality=False)
    dispositions = raw.attrs["surveykit.synthetic"]["dispositions"]
    df = raw[raw["municipality"].isin(REGION) & raw["sex"].isin([1, 2])].copy()
    df["w0"] = 1.0
    pop = sk.load_population()
    pop = pop[pop["year"] == 2026]
    sex_code = {"female": 2, "male": 1}
    muni = pop.groupby("knr")["count"].sum()
    sex = pop.assign(code=pop["sex"].map(sex_code)).groupby("code")["count"].sum()
    design = sk.SurveyDesign(df, weights="w0")
    design = sk.rake(design, margins={"municipality": muni.to_dict(),
                                      "sex": sex.to_dict()})
    return inst, design, dispositions


def aapor_counts(dispositions: dict) -> dict[str, float]:
    keys = {"complete": "I", "partial": "P", "refusal": "R", "non_contact": "NC",
            "other": "O", "unknown_household": "UH", "unknown_other": "UO",
            "not_eligible": "NE"}
    return {code: float(dispositions[k]) for k, code in keys.items()}


def build_appendix(language: str = "nb") -> sk.report.Appendix:
    inst, design, dispositions = weighted_design()
    rep = sk.report
    nb = language == "nb"
    app = rep.Appendix(
        title="Statistisk vedlegg: Omdømmeundersøkelsen 2026" if nb
        else "Statistical appendix: Reputation survey 2026",
        language=language,
        subtitle="Rom for flere unge voksne – Hamarregionen",
        metadata={"Prosjekt" if nb else "Project": "Rom for flere unge voksne",
                  "Instrument": inst.ref},
        date=dt.date(2026, 5, 1),
    )
    methods = app.section("Metode" if nb else "Methods")
    methods.text("Utvalget er trukket fra befolkningen 20–39 år i Hamar, Ringsaker, Løten og "
                 "Stange. Datainnsamlingen foregikk på nett." if nb else
                 "The sample was drawn from residents aged 20-39 of Hamar, Ringsaker, Løten "
                 "and Stange. Fieldwork was online.")
    rates = methods.section("Svarprosent" if nb else "Response rates")
    rates.table(rep.aapor_table(aapor_counts(dispositions), language=language))
    weighting = methods.section("Vekting" if nb else "Weighting")
    diag = sk.weight_diagnostics(design)
    summary, margins = rep.weighting_tables(diag, instrument=inst, language=language)
    weighting.table(summary).table(margins)
    weighting.figure(diag.plot_distribution(), caption="Fordeling av vekter" if nb
                     else "Distribution of weights")
    moe = methods.section("Feilmarginer" if nb else "Margins of error")
    moe.table(rep.moe_table([100, 300, diag.n], deff=diag.kish_deff, language=language))
    software = methods.section("Programvare og fingeravtrykk" if nb
                               else "Software and fingerprints")
    software.definition_list({**rep.software_versions(),
                              f"{inst.ref}": inst.fingerprint})
    results = app.section("Resultater" if nb else "Results")
    freq = results.section("Frekvenstabeller" if nb else "Frequency tables")
    est = sk.proportion(design, "impression7", nan_policy="omit")
    freq.table(est, instrument=inst)
    freq.figure(rep.plot(est, instrument=inst, language=language),
                caption=inst.variable("impression7").text[language])
    by = sk.proportion(design, "stay_5y", by="municipality", nan_policy="omit")
    freq.table(by, instrument=inst)
    freq.figure(rep.plot(by, instrument=inst, language=language, kind="dot"),
                caption=inst.variable("stay_5y").text[language])
    means = sk.mean(design, ["recommend_live", "recommend_work"], nan_policy="omit")
    results.section("Gjennomsnitt" if nb else "Means").table(means, instrument=inst)
    codebook = app.section("Kodebok" if nb else "Codebook")
    codebook.table(rep.codebook_table(inst, language=language))
    return app


def small_cells_frame() -> pd.DataFrame:
    return pd.DataFrame({"area": ["A", "A", "A", "B", "B", "B"],
                         "level": ["x", "y", "z"] * 2,
                         "n": np.array([40, 3, 12, 25, 30, 2]),
                         "estimate": [0.7, 0.05, 0.25, 0.45, 0.5, 0.05]})
