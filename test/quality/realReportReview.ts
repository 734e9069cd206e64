/**
 * Every flag that `laterality-mismatch`, `contradiction` (its global negations included: "No acute cardiopulmonary
 * disease" against a finding stated in the findings) and `measurement-mismatch` raise on the real reports as they are
 * (3,331 IU, 152 MTSamples imaging), read by hand against the report text. Key: `report id|rule|flagged text`.
 * The real-report test fails on a flag that is not reviewed here, so this list stays true as the rules change.
 */
export type Verdict = 'true error' | 'false alarm';

export const REAL_REPORT_REVIEW: Readonly<Record<string, { verdict: Verdict; note: string }>> = {
  'iu-160|laterality-mismatch|left': {
    verdict: 'false alarm',
    note: 'Findings: right lower lobe infiltrate and "opacities in the retrocardiac region"; the conclusion\'s "probable left basilar infiltrate versus atelectasis" is the retrocardiac (left lower lobe) opacity, which the findings give no side.',
  },
  'iu-206|laterality-mismatch|Left': {
    verdict: 'false alarm',
    note: 'Findings: a 2.6 cm mass-like density over the lingula (left) and an opacity in the right mid and lower zone; the conclusion calls the left lesion a "left lower lobe nodule": a different lobe name for the left lesion, not a side error.',
  },
  'iu-875|laterality-mismatch|right': {
    verdict: 'true error',
    note: 'Exam "left KNEE 1-2 VIEWS"; under "Left knee" the findings say "The right total knee prosthesis remains in XXXX": the side contradicts the exam.',
  },
  'iu-1475|laterality-mismatch|left': {
    verdict: 'true error',
    note: 'Findings: "Vague nodular density right upper lobe"; conclusion: "Vague left upper lobe nodular density as described above".',
  },
  'iu-2370|laterality-mismatch|Left': {
    verdict: 'true error',
    note: 'Findings: consolidation and atelectasis in the right lower lobe, costophrenic angle blunted on the right, "Left lung clear"; conclusion: "Left lower lobe airspace disease consistent with pneumonia".',
  },
  'iu-2818|laterality-mismatch|right': {
    verdict: 'true error',
    note: 'Findings: "increased opacity in the left upper lobe" (and a stable cavity in the right apex); conclusion: "increased right upper lobe opacities ... could represent reactivation".',
  },
  'mts-2234|laterality-mismatch|left': {
    verdict: 'true error',
    note: 'Complaint and findings: right middle finger; clinical impression: "Tendinitis, left middle finger" (item 3 says the right middle finger).',
  },
  'iu-227|contradiction|pleural effusions': {
    verdict: 'true error',
    note: 'Findings: "no focal consolidation, pleural effusion, or pneumothoraces"; conclusion: "XXXX bilateral pleural effusions". Inconsistent as published; the de-identification token may hide the word that reconciled them.',
  },
  'iu-3794|contradiction|nodule': {
    verdict: 'false alarm',
    note: 'Findings: "6 mm nodular opacity overlies the left anterior 5th rib"; conclusion: "1. 6 mm left lung nodular opacity. ... Old chest film ... was reviewed and the questionable nodule was not XXXX seen." The denial is about the old film, not this study; flagged since a de-identification token inside a phrase stands for the removed word ("not XXXX seen" reads as "not seen").',
  },
  'iu-2727|contradiction|pulmonary nodules': {
    verdict: 'false alarm',
    note: 'Findings: "Nodular densities consistent with chronic granulomatous disease"; conclusion (patient followed for a left chest nodule): "No pulmonary nodules identified". The densities are granulomas, which the conclusion does not count as the nodule asked about; the rule reads "nodular densities" as nodules.',
  },
  'iu-1262|contradiction|No acute cardiopulmonary disease': {
    verdict: 'true error',
    note: 'Global negation. Findings: "There is pneumothorax." (between "There is no focal consolidation" and "There is no large pleural effusion"); conclusion: "No acute cardiopulmonary disease." As published the findings state a pneumothorax the conclusion denies; the dictation probably dropped a "no", which is the kind of error the check is for.',
  },
  'mts-1289|contradiction|occlusion': {
    verdict: 'false alarm',
    note: 'A speech-therapy note, not imaging: "finger occlusion" of a tracheostomy tube in the findings and "without using finger occlusion" in the impression; "occlusion" here is no vascular finding.',
  },
  'iu-3746|contradiction|stent': {
    verdict: 'false alarm',
    note: 'Findings: "stent has been removed"; conclusion: "Interval removal of XXXX stent". "Removal of" is no negation cue (as one it would reach past the device, "removal of the chest tube with atelectasis"), so the conclusion reads as stating the stent.',
  },
};
