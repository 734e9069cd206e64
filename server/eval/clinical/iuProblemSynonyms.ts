/**
 * The evaluation's synonym table for the Indiana University chest radiograph labels: each `Problems` term of
 * `indiana_reports.csv` (the MeSH-based codes the IU indexers gave each report) mapped to a problem, and each problem
 * to the words that state it. Written for the evaluation and kept apart from the product's clinical vocabulary
 * (`server/clinical/defaultVocabulary.ts`), so that the measure does not reward the product for sharing its words.
 *
 * How a label becomes a problem (`IU_PROBLEM_TERMS`):
 * - a finding or diagnosis term names its problem directly (`Pleural Effusion` → pleural effusion);
 * - a bare organ term (`Lung`, `Aorta`, `Thoracic Vertebrae`, `Diaphragm`, ...) says nothing by itself: the qualifiers
 *   of the same label in the `MeSH` column decide (`Lung/hypoinflation` → low lung volumes, `Lung/hyperdistention` →
 *   hyperinflation, `Diaphragm/right/elevated` → elevated hemidiaphragm, `Thoracic Vertebrae/degenerative` →
 *   degenerative change); the first rule whose qualifier the label has wins, else the term's default;
 * - labels that say the same thing in one study count once ("Opacity;Opacity;Opacity" is one problem, and so are
 *   `Cardiomegaly` and `Cardiac Shadow/enlarged`).
 *
 * What states a problem (`IU_CONCEPTS`): the problem's own words and synonyms; for a diagnosis, also the imaging
 * finding it rests on (pneumonia ← consolidation, airspace disease; COPD ← hyperinflation); for a finding class, also
 * the specific diagnoses of that class (opacity ← pneumonia, atelectasis, scarring; nodule ← granuloma) — never the
 * other way round (an opacity does not state atelectasis). Negated mentions state nothing (see `conceptMatcher.ts`).
 */
import type { ConceptDefinition } from './conceptMatcher.ts';

export interface IuConcept extends ConceptDefinition {
  /** The problem as the tables show it. */
  label: string;
}

/** A gap of a few words within one clause, for patterns such as "heart ... enlarged". */
const GAP = String.raw`[^.;:]{0,30}?`;
const SHORT_GAP = String.raw`[^.;:,]{0,20}?`;

const HEART = String.raw`\b(?:heart|cardiac|cardiac silhouette|cardiac shadow|cardiomediastinal silhouette)\b`;
const AORTA = String.raw`\b(?:aorta|aortic|aortic arch|aortic knob|arch)\b`;
const HILUM = String.raw`\b(?:hilar|hila|hilum|hili|perihilar)\b`;
const MEDIASTINUM = String.raw`\b(?:mediastinum|mediastinal|paratracheal|superior mediastinal)\b`;
const DIAPHRAGM = String.raw`\b(?:hemidiaphragms?|diaphragms?|diaphragmatic)\b`;
const DEVICE_WORDS = ['pacemaker', 'pacer', 'defibrillator', 'aicd', 'icd', 'loop recorder', 'cardiac device', 'generator', 'stimulator', 'leads', 'device', 'occluder', 'anchor', 'shunt', 'prosthetic', 'internal fixation', 'tips', 'stent', 'valve replacement', 'prosthetic valve', 'annuloplasty', 'implant', 'prosthesis', 'hardware', 'coil'];
const LINE_WORDS = ['catheter', 'picc', 'port', 'portacath', 'port-a-cath', 'mediport', 'central line', 'central venous line', 'venous line', 'ij line', 'subclavian line', 'dialysis line', 'tube', 'endotracheal', 'ett', 'nasogastric', 'enteric', 'swan-ganz', 'cordis', 'sheath', 'drain', 'tracheostomy', 'lines and tubes', 'support apparatus', 'tip'];
const SURGERY_WORDS = ['sternotomy', 'sternal wires', 'wires', 'clips', 'surgical clip', 'staples', 'sutures', 'suture material', 'suture line', 'postsurgical', 'post-surgical', 'postoperative', 'post-operative', 'surgical changes', 'cabg', 'bypass', 'graft markers', 'hardware', 'fusion', 'fixation', 'fixation plate', 'surgical plate', 'screw', 'thoracotomy', 'anastomosis', 'arthroplasty', 'coil', 'embolization coils', 'surgical'];

export const IU_CONCEPTS: readonly IuConcept[] = [
  {
    id: 'lung-opacity',
    label: 'Lung opacity (opacity, density, infiltrate, airspace disease, consolidation)',
    terms: [
      'opacity', 'opacification', 'opacified', 'density', 'infiltrate', 'infiltration', 'infiltrative', 'airspace disease',
      'air space disease', 'airspace process', 'airspace opacity', 'air space opacity', 'consolidation', 'consolidative',
      'consolidated', 'pneumonia', 'pneumonitis', 'bronchopneumonia', 'atelectasis', 'atelectatic', 'scarring', 'scar',
      'haziness', 'hazy', 'ground glass', 'airspace', 'fibrosis', 'fibrotic', 'infection', 'infectious process',
      'interstitial markings', 'interstitial prominence', 'interstitial lung disease', 'edema', 'nodular opacity', 'mass', 'aspergilloma',
    ],
    notAfter: ['bone', 'breast', 'mineral'],
  },
  {
    id: 'pneumonia',
    label: 'Pneumonia',
    terms: ['pneumonia', 'pneumonitis', 'bronchopneumonia', 'infection', 'infectious', 'infiltrate', 'consolidation', 'consolidative', 'airspace disease', 'air space disease', 'airspace opacity', 'airspace process', 'opacity'],
  },
  {
    id: 'atelectasis',
    label: 'Atelectasis',
    terms: ['atelectasis', 'atelectatic', 'atelectases', 'collapse', 'collapsed', 'volume loss', 'loss of volume', 'platelike', 'plate-like', 'discoid'],
  },
  {
    id: 'scarring',
    label: 'Scarring (cicatrix)',
    terms: ['scar', 'scarring', 'scarred', 'cicatrix', 'cicatricial', 'fibrosis', 'fibrotic', 'fibronodular', 'fibroproductive', 'parenchymal band', 'pleural thickening', 'pleural-parenchymal', 'pleuroparenchymal', 'apical capping', 'pleural capping'],
  },
  {
    id: 'fibrosis',
    label: 'Pulmonary fibrosis',
    terms: ['fibrosis', 'fibrotic', 'honeycombing', 'honeycomb', 'interstitial lung disease', 'interstitial disease', 'interstitial fibrosis', 'usual interstitial pneumonia', 'uip', 'scarring', 'reticular', 'reticulation'],
  },
  {
    id: 'interstitial-disease',
    label: 'Interstitial lung disease',
    terms: ['interstitial lung disease', 'interstitial disease', 'interstitial process', 'interstitial', 'interstitium', 'fibrosis', 'fibrotic', 'reticular', 'reticulonodular', 'reticulation', 'honeycombing', 'ild'],
  },
  {
    id: 'markings',
    label: 'Increased lung markings (interstitial, bronchovascular)',
    terms: [
      'markings', 'interstitial', 'interstitium', 'reticular', 'reticulonodular', 'reticulation', 'bronchovascular crowding',
      'crowding', 'peribronchial thickening', 'peribronchial cuffing', 'bronchial wall thickening', 'bronchitic',
      'bronchitis', 'chronic lung disease', 'chronic interstitial', 'airway disease', 'fibrosis', 'fibrotic',
    ],
  },
  {
    id: 'cardiomegaly',
    label: 'Cardiomegaly',
    terms: ['cardiomegaly', 'cardiac enlargement', 'enlarged heart', 'cardiac silhouette enlargement', 'enlarged cardiac silhouette', 'enlarged cardiomediastinal silhouette', 'cardiomediastinal enlargement', 'large heart'],
    patterns: [
      `${HEART}${GAP}\\b(?:enlarged|enlargement|large|prominent|prominence|upper limits? of normal|upper normal|top normal|top-normal|borderline)\\b`,
      `\\b(?:enlarged|enlargement of the|prominent|prominence of the|large)\\s+${HEART}`,
    ],
  },
  {
    id: 'cardiac-chamber',
    label: 'Cardiac chamber enlargement',
    terms: ['cardiomegaly', 'atrial enlargement', 'ventricular enlargement', 'ventricular hypertrophy', 'ventricular prominence', 'enlarged heart', 'cardiac enlargement'],
    patterns: [`\\b(?:atri(?:al|um)|ventric(?:le|ular)|appendage)${GAP}\\b(?:enlarged|enlargement|prominen\\w*|dilat\\w*)`, `\\b(?:enlarged|prominent|dilated)\\s+(?:left|right)?\\s*(?:atri\\w*|ventric\\w*)`],
  },
  {
    id: 'small-heart',
    label: 'Small heart',
    terms: ['small heart', 'narrow heart', 'vertical heart', 'microcardia'],
    patterns: [`${HEART}${SHORT_GAP}\\bsmall\\b`],
  },
  {
    id: 'pleural-effusion',
    label: 'Pleural effusion',
    terms: ['effusion', 'pleural fluid', 'hydrothorax', 'hemothorax', 'haemothorax', 'fluid in the fissure', 'fissural fluid', 'blunting', 'blunted', 'meniscus', 'loculated fluid'],
    notAfter: ['pericardial', 'joint'],
  },
  {
    id: 'costophrenic-blunting',
    label: 'Blunted or obscured costophrenic angle',
    terms: ['blunting', 'blunted', 'effusion', 'pleural fluid', 'pleural thickening', 'pleural scarring', 'pleural reaction', 'pleural-parenchymal scarring'],
    patterns: [`\\b(?:costophrenic|sulcus|sulci|angles?)\\b${GAP}\\b(?:obscur\\w*|blunt\\w*)`, `\\b(?:obscur\\w*|blunt\\w*)${GAP}\\b(?:costophrenic|sulcus|sulci|angles?)\\b`],
    notAfter: ['pericardial', 'joint'],
  },
  {
    id: 'pleural-thickening',
    label: 'Pleural thickening',
    terms: ['pleural thickening', 'thickening of the pleura', 'pleural scarring', 'pleural plaque', 'pleural calcification', 'apical capping', 'pleural capping', 'pleural-parenchymal scarring', 'pleuroparenchymal scarring', 'pleuroparenchymal', 'apical scarring', 'pleural reaction', 'fibrothorax', 'fissural thickening', 'pleural abnormality', 'pleural retraction'],
    patterns: [`\\bpleura\\w*${SHORT_GAP}\\bthicken\\w*`, `\\bthicken\\w*${SHORT_GAP}\\bpleura\\w*`],
  },
  {
    id: 'granuloma',
    label: 'Granuloma, granulomatous disease',
    terms: ['granuloma', 'granulomata', 'granulomatous', 'calcified nodule', 'calcified node', 'calcified lymph node', 'calcified lymph', 'histoplasmosis', 'histoplasma', 'healed infection', 'prior infection', 'old infection', 'tuberculosis'],
  },
  {
    id: 'calcification',
    label: 'Calcification (calcinosis)',
    terms: ['calcification', 'calcified', 'calcific', 'calcium', 'granuloma', 'granulomatous', 'atherosclerosis', 'atherosclerotic', 'atheromatous'],
  },
  {
    id: 'atherosclerosis',
    label: 'Atherosclerosis, vascular calcification',
    terms: ['atherosclerosis', 'atherosclerotic', 'atheromatous', 'atheroma', 'arteriosclerosis', 'arteriosclerotic', 'vascular calcification'],
    patterns: [
      `\\b(?:aort\\w*|arch|knob|vascular|arter\\w*|coronary|vessels?|valv\\w*|mitral|annul\\w*)\\b${GAP}\\bcalcif\\w*`,
      `\\bcalcif\\w*${GAP}\\b(?:aort\\w*|arch|knob|vascular|arter\\w*|coronary|vessels?|valv\\w*|mitral|annul\\w*)\\b`,
    ],
  },
  {
    id: 'aortic-ectasia',
    label: 'Tortuous or ectatic aorta',
    terms: ['tortuous', 'tortuosity', 'ectatic', 'ectasia', 'unfolded', 'unfolding', 'uncoiled', 'uncoiling', 'aortic aneurysm'],
    patterns: [`${AORTA}${GAP}\\b(?:dilat\\w*|enlarg\\w*|prominen\\w*|widen\\w*|elongat\\w*|aneurysm\\w*)`, `\\b(?:dilat\\w*|enlarg\\w*|prominen\\w*|widen\\w*|elongat\\w*)\\s+(?:\\w+\\s+)?${AORTA}`],
  },
  {
    id: 'obscured-border',
    label: 'Obscured border (heart, diaphragm, lung)',
    terms: ['obscured', 'obscuring', 'obscuration', 'silhouetting', 'silhouette sign', 'effusion', 'atelectasis', 'consolidation', 'opacity'],
    notAfter: ['pericardial'],
  },
  {
    id: 'degenerative',
    label: 'Degenerative change (spine, joints)',
    terms: [
      'degenerative', 'degeneration', 'spondylosis', 'spondylitic', 'spondylotic', 'osteophyte', 'osteophytic',
      'osteophytosis', 'arthritis', 'arthritic', 'arthropathy', 'osteoarthritis', 'djd', 'disc space narrowing',
      'disc disease', 'spurring', 'spur', 'endplate sclerosis', 'dish', 'hyperostosis',
    ],
  },
  {
    id: 'scoliosis',
    label: 'Scoliosis',
    terms: ['scoliosis', 'scoliotic', 'dextroscoliosis', 'levoscoliosis', 'kyphoscoliosis', 'dextroconvex', 'levoconvex', 'curvature', 'dextrocurvature', 'levocurvature'],
  },
  {
    id: 'kyphosis',
    label: 'Kyphosis',
    terms: ['kyphosis', 'kyphotic', 'kyphoscoliosis', 'kyphoscoliotic'],
  },
  {
    id: 'fracture',
    label: 'Fracture',
    terms: ['fracture', 'fractured', 'fx', 'compression deformity', 'wedge deformity', 'wedging', 'wedge', 'height loss', 'loss of height', 'callus', 'deformity'],
  },
  {
    id: 'deformity',
    label: 'Deformity (bone, chest wall)',
    terms: ['deformity', 'deformed', 'deforming', 'fracture', 'fractured', 'fx', 'wedging', 'wedge', 'compression', 'height loss', 'loss of height', 'malunion', 'post-traumatic', 'posttraumatic', 'remote trauma', 'remote injury', 'pectus', 'old injury', 'healed', 'irregularity', 'contour abnormality', 'retraction', 'vertebroplasty', 'kyphoplasty'],
  },
  {
    id: 'hyperinflation',
    label: 'Hyperinflation (hyperdistention, flattened diaphragm)',
    terms: [
      'hyperinflation', 'hyperinflated', 'hyperexpansion', 'hyperexpanded', 'hyperaeration', 'hyperaerated',
      'hyperdistention', 'hyperdistension', 'hyperdistended', 'overinflation', 'overinflated', 'overexpansion',
      'large lung volumes', 'increased lung volumes', 'high lung volumes', 'emphysema', 'emphysematous', 'copd',
      'chronic obstructive', 'obstructive lung disease', 'obstructive pulmonary disease', 'air trapping', 'hyperlucent',
    ],
    patterns: [`${DIAPHRAGM}${SHORT_GAP}\\bflat\\w*`, `\\bflat\\w*${SHORT_GAP}${DIAPHRAGM}`],
    notAfter: ['subcutaneous', 'surgical', 'mediastinal'],
  },
  {
    id: 'low-lung-volumes',
    label: 'Low lung volumes (hypoinflation)',
    terms: ['hypoinflation', 'hypoinflated', 'hypoventilation', 'hypoventilatory', 'hypoaeration', 'hypoaerated', 'underinflation', 'underinflated', 'low volume', 'low-volume', 'poor inspiration', 'poor inspiratory effort', 'shallow inspiration', 'suboptimal inspiration', 'submaximal inspiration', 'limited inspiration', 'low inspiratory'],
    patterns: [
      `\\b(?:low|lower|decreased|reduced|diminished|small|smaller|limited|poor)\\b${SHORT_GAP}\\bvolumes?\\b`,
      `\\bvolumes?\\b${SHORT_GAP}\\b(?:low|lower|decreased|reduced|diminished|small|smaller)\\b`,
    ],
  },
  {
    id: 'elevated-diaphragm',
    label: 'Elevated hemidiaphragm, eventration',
    terms: ['eventration', 'diaphragmatic eventration', 'elevated hemidiaphragm', 'elevated diaphragm', 'elevation of the hemidiaphragm', 'elevation of the diaphragm', 'diaphragmatic paralysis', 'phrenic nerve palsy'],
    patterns: [`${DIAPHRAGM}${GAP}\\b(?:elevat\\w*|eventrat\\w*|high)\\b`, `\\b(?:elevat\\w*|high)\\b${SHORT_GAP}${DIAPHRAGM}`],
  },
  {
    id: 'hilar-prominence',
    label: 'Hilar prominence or adenopathy',
    terms: ['lymphadenopathy', 'adenopathy', 'hilar prominence', 'hilar fullness', 'hilar enlargement', 'hilar mass', 'pulmonary arterial hypertension', 'pulmonary hypertension', 'enlarged pulmonary arteries', 'enlarged lymph nodes', 'sarcoidosis'],
    patterns: [`${HILUM}${GAP}\\b(?:prominen\\w*|enlarg\\w*|full\\w*|bulk\\w*|adenopathy|lymphadenopathy|nodes?|mass\\w*|large)\\b`, `\\b(?:prominen\\w*|enlarg\\w*|full\\w*|bulky)\\b${SHORT_GAP}${HILUM}`],
  },
  {
    id: 'pulmonary-artery',
    label: 'Enlarged pulmonary artery, pulmonary hypertension',
    terms: ['pulmonary hypertension', 'pulmonary arterial hypertension', 'enlarged pulmonary arteries', 'enlarged pulmonary artery', 'prominent pulmonary arteries', 'prominent pulmonary artery', 'pulmonary artery enlargement', 'hilar prominence', 'hilar enlargement'],
    patterns: [`\\bpulmonary (?:arter\\w*|outflow tract|trunk)${GAP}\\b(?:enlarg\\w*|prominen\\w*|dilat\\w*|large)\\b`, `${HILUM}${GAP}\\b(?:prominen\\w*|enlarg\\w*|full\\w*)\\b`],
  },
  {
    id: 'lymphadenopathy',
    label: 'Lymphadenopathy',
    terms: ['lymphadenopathy', 'adenopathy', 'enlarged lymph node', 'enlarged node', 'lymph node enlargement', 'nodal enlargement', 'hilar fullness', 'hilar prominence', 'mediastinal mass'],
    patterns: [`\\b(?:lymph nodes?|nodes?|nodal)\\b${GAP}\\b(?:enlarg\\w*|prominen\\w*|bulky)\\b`],
  },
  {
    id: 'mediastinal-widening',
    label: 'Widened or prominent mediastinum',
    terms: ['mediastinal widening', 'widened mediastinum', 'mediastinal prominence', 'mediastinal enlargement', 'mediastinal fullness', 'mediastinal mass', 'paratracheal fullness', 'paratracheal density', 'paratracheal prominence', 'goiter', 'thyroid enlargement', 'mediastinal lymphadenopathy', 'mediastinal adenopathy'],
    patterns: [`${MEDIASTINUM}${GAP}\\b(?:widen\\w*|wide|prominen\\w*|enlarg\\w*|full\\w*|mass\\w*|convexity|bulg\\w*|thicken\\w*)\\b`, `\\b(?:widen\\w*|prominen\\w*|enlarg\\w*|full\\w*)\\b${SHORT_GAP}${MEDIASTINUM}`],
  },
  {
    id: 'shift',
    label: 'Mediastinal or tracheal shift',
    terms: ['mediastinal shift', 'tracheal deviation', 'shift', 'shifted', 'deviation', 'deviated', 'displacement', 'displaced'],
  },
  {
    id: 'nodule',
    label: 'Nodule',
    terms: ['nodule', 'nodular', 'nodularity', 'mass', 'granuloma', 'lesion', 'rounded opacity', 'round opacity', 'round density', 'rounded density', 'coin lesion', 'metastases', 'metastasis', 'metastatic disease'],
  },
  {
    id: 'mass',
    label: 'Mass',
    terms: ['mass', 'neoplasm', 'neoplastic', 'tumor', 'tumour', 'malignancy', 'malignant', 'carcinoma', 'cancer', 'lesion', 'nodule', 'metastasis', 'metastases', 'metastatic disease', 'lymphoma'],
  },
  {
    id: 'emphysema',
    label: 'Emphysema, COPD',
    terms: [
      'emphysema', 'emphysematous', 'copd', 'chronic obstructive', 'obstructive lung disease', 'obstructive pulmonary disease',
      'bulla', 'bullous', 'bleb', 'hyperinflation', 'hyperinflated', 'hyperexpansion', 'hyperexpanded', 'hyperaeration',
      'hyperaerated', 'overinflation', 'overinflated', 'hyperlucent', 'hyperlucency', 'air trapping',
    ],
    patterns: [`${DIAPHRAGM}${SHORT_GAP}\\bflat\\w*`, `\\bflat\\w*${SHORT_GAP}${DIAPHRAGM}`],
    notAfter: ['subcutaneous', 'surgical', 'mediastinal'],
  },
  {
    id: 'hyperlucent-lung',
    label: 'Hyperlucent lung',
    terms: ['hyperlucent', 'hyperlucency', 'lucent', 'lucency', 'emphysema', 'emphysematous', 'bulla', 'bullous', 'bleb', 'hyperinflation', 'hyperinflated', 'hyperexpanded', 'oligemia', 'oligemic'],
    notAfter: ['subcutaneous'],
  },
  {
    id: 'subcutaneous-emphysema',
    label: 'Subcutaneous emphysema',
    terms: ['subcutaneous emphysema', 'subcutaneous air', 'subcutaneous gas', 'soft tissue emphysema', 'soft tissue air', 'soft tissue gas', 'surgical emphysema'],
  },
  {
    id: 'cyst',
    label: 'Cyst',
    terms: ['cyst', 'cystic', 'bulla', 'bleb', 'pneumatocele', 'lucent lesion', 'lucency', 'geode'],
  },
  {
    id: 'cavitation',
    label: 'Cavitation',
    terms: ['cavitation', 'cavitary', 'cavitating', 'cavity', 'abscess', 'air-fluid level', 'air fluid level'],
  },
  {
    id: 'lucency',
    label: 'Lucency',
    terms: ['lucency', 'lucent', 'radiolucent', 'radiolucency', 'lytic', 'lysis', 'bulla', 'bleb', 'cyst', 'cystic', 'free air', 'pneumoperitoneum', 'hyperlucent', 'hyperlucency', 'pneumatocele'],
  },
  {
    id: 'bone-lesion',
    label: 'Bone lesion',
    terms: ['bone lesion', 'osseous lesion', 'lytic', 'lucent lesion', 'lucency', 'sclerotic lesion', 'sclerotic focus', 'blastic', 'bone island', 'enostosis', 'expansile', 'enchondroma', 'fibrous dysplasia', 'bone cyst', 'geode', 'bony lesion', 'lesion', 'cyst', 'callus', 'osteochondroma', 'exostosis', 'infarct'],
  },
  {
    id: 'bone-sclerosis',
    label: 'Bone sclerosis',
    terms: ['sclerosis', 'sclerotic', 'blastic', 'bone island', 'enostosis', 'increased bone density', 'osteosclerosis'],
  },
  {
    id: 'bone-density',
    label: 'Osteopenia, osteoporosis (metabolic bone disease)',
    terms: ['osteopenia', 'osteopenic', 'osteoporosis', 'osteoporotic', 'demineralization', 'demineralized', 'decreased bone density', 'decreased bone mineralization', 'decreased mineralization', 'diminished bone density', 'osteomalacia', 'hyperparathyroidism', 'renal osteodystrophy', 'metabolic bone disease'],
  },
  {
    id: 'edema',
    label: 'Pulmonary edema',
    terms: ['edema', 'oedema', 'fluid overload', 'volume overload', 'congestive heart failure', 'chf', 'heart failure', 'cardiac decompensation', 'kerley', 'interstitial fluid'],
    notAfter: ['soft', 'tissue', 'periportal', 'subcutaneous'],
  },
  {
    id: 'congestion',
    label: 'Pulmonary vascular congestion',
    terms: ['congestion', 'congestive', 'congested', 'cephalization', 'vascular prominence', 'prominent vasculature', 'prominent vascularity', 'vascular engorgement', 'engorged', 'engorgement', 'pulmonary venous hypertension', 'venous hypertension', 'edema', 'oedema', 'chf', 'heart failure', 'fluid overload', 'volume overload', 'increased vascularity', 'vascular redistribution'],
    patterns: [`\\b(?:vascular\\w*|vessels?|vasculature)\\b${SHORT_GAP}\\b(?:prominen\\w*|engorge\\w*|indistinct|increased|enlarged|congest\\w*)`, `\\b(?:prominen\\w*|engorged|indistinct|increased|enlarged)\\b${SHORT_GAP}\\b(?:vascular\\w*|vessels?|vasculature)\\b`],
    notAfter: ['soft', 'tissue', 'periportal', 'subcutaneous'],
  },
  {
    id: 'heart-failure',
    label: 'Heart failure',
    terms: ['heart failure', 'chf', 'congestive', 'congestion', 'cardiac decompensation', 'edema', 'oedema', 'fluid overload', 'volume overload', 'cephalization'],
    notAfter: ['soft', 'tissue', 'periportal', 'subcutaneous'],
  },
  {
    id: 'hypovolemia',
    label: 'Hypovolemia (oligemic lungs)',
    terms: ['hypovolemia', 'hypovolemic', 'oligemia', 'oligemic', 'decreased vascularity', 'diminished vascularity', 'small vessels'],
  },
  {
    id: 'pneumothorax',
    label: 'Pneumothorax',
    terms: ['pneumothorax', 'pneumothoraces', 'hydropneumothorax', 'hemopneumothorax', 'haemopneumothorax', 'ptx', 'pleural air', 'visceral pleural line'],
  },
  {
    id: 'pericardial-effusion',
    label: 'Pericardial effusion',
    terms: ['pericardial effusion', 'pericardial fluid', 'pericardial fluid collection', 'hemopericardium', 'pericardial tamponade'],
  },
  {
    id: 'hiatal-hernia',
    label: 'Hiatal or diaphragmatic hernia',
    terms: ['hiatal hernia', 'hiatus hernia', 'hernia', 'herniation', 'herniated', 'intrathoracic stomach', 'retrocardiac air-fluid level', 'retrocardiac air fluid level', 'bochdalek', 'morgagni'],
  },
  {
    id: 'line-or-tube',
    label: 'Indwelling catheter or tube',
    terms: LINE_WORDS,
    notAfter: ['pleural', 'kerley', 'b', 'septal', 'skin', 'fissure', 'azygos', 'lung', 'apical', 'lingular'],
  },
  {
    id: 'implanted-device',
    label: 'Implanted medical device or stent',
    terms: [...DEVICE_WORDS, 'breast implant', 'breast prosthesis', 'monitor leads', 'ekg leads', 'electrodes', 'catheter', 'picc', 'port', 'postsurgical', 'postoperative', 'post-operative', 'surgical changes'],
  },
  {
    id: 'surgical-material',
    label: 'Surgical material (sternotomy wires, clips, sutures, spinal fusion)',
    terms: SURGERY_WORDS,
  },
  {
    id: 'foreign-body',
    label: 'Foreign body',
    terms: ['foreign body', 'foreign bodies', 'bullet', 'bullet fragment', 'buckshot', 'shrapnel', 'shotgun pellets', 'pellets', 'metallic fragment', 'metallic density', 'metallic foreign body', 'metallic', 'radiopaque', 'piercing', 'nipple ring', 'jewelry', 'fragments', 'artifact', 'radiodensity', 'stimulator', 'device'],
  },
  {
    id: 'contrast',
    label: 'Contrast media',
    terms: ['contrast', 'contrast material', 'barium', 'oral contrast', 'contrast media'],
  },
  {
    id: 'mastectomy',
    label: 'Mastectomy',
    terms: ['mastectomy', 'mastectomies', 'surgically absent breast', 'absent breast', 'breast surgery', 'axillary dissection', 'lumpectomy'],
  },
  {
    id: 'pneumonectomy',
    label: 'Pneumonectomy, lobectomy',
    terms: ['pneumonectomy', 'lobectomy', 'wedge resection', 'resection', 'resected', 'surgically absent', 'postsurgical', 'postoperative', 'post-operative', 'post-surgical', 'thoracotomy'],
  },
  {
    id: 'volume-loss',
    label: 'Volume loss',
    terms: ['volume loss', 'loss of volume', 'decreased volume', 'small hemithorax', 'smaller hemithorax', 'atelectasis', 'collapse', 'collapsed', 'elevated hemidiaphragm', 'retraction', 'retracted', 'shift', 'deviation'],
  },
  {
    id: 'pneumoperitoneum',
    label: 'Pneumoperitoneum',
    terms: ['pneumoperitoneum', 'free air', 'free intraperitoneal air', 'free intra-abdominal air', 'subdiaphragmatic air', 'subdiaphragmatic free air', 'air under the diaphragm', 'free gas'],
  },
  {
    id: 'fat',
    label: 'Epicardial or other fat',
    terms: ['fat pad', 'epicardial fat', 'pericardial fat', 'fat', 'fatty', 'lipoma', 'lipomatosis', 'adipose'],
  },
  {
    id: 'nipple-shadow',
    label: 'Nipple shadow',
    terms: ['nipple shadow', 'nipple', 'nipples'],
  },
  {
    id: 'azygos-lobe',
    label: 'Azygos lobe',
    terms: ['azygos lobe', 'azygos fissure', 'azygos'],
  },
  {
    id: 'pectus',
    label: 'Pectus deformity',
    terms: ['pectus', 'pectus excavatum', 'pectus carinatum', 'excavatum', 'carinatum', 'funnel chest', 'pigeon chest', 'sternal depression', 'depressed sternum'],
  },
  {
    id: 'dislocation',
    label: 'Dislocation, subluxation',
    terms: ['dislocation', 'dislocated', 'subluxation', 'subluxed', 'malalignment', 'listhesis', 'spondylolisthesis', 'anterolisthesis', 'retrolisthesis'],
  },
  {
    id: 'bronchiectasis',
    label: 'Bronchiectasis',
    terms: ['bronchiectasis', 'bronchiectatic', 'bronchial dilatation', 'bronchial dilation', 'airway dilatation', 'airway dilation', 'cystic fibrosis', 'tram track', 'tram-track'],
  },
  {
    id: 'cystic-fibrosis',
    label: 'Cystic fibrosis',
    terms: ['cystic fibrosis', 'bronchiectasis', 'bronchiectatic', 'mucus plugging', 'mucoid impaction'],
  },
  {
    id: 'sarcoidosis',
    label: 'Sarcoidosis',
    terms: ['sarcoidosis', 'sarcoid', 'lymphadenopathy', 'adenopathy', 'hilar fullness', 'hilar enlargement'],
  },
  {
    id: 'tuberculosis',
    label: 'Tuberculosis',
    terms: ['tuberculosis', 'tuberculous', 'tb', 'mycobacterial', 'mycobacterium', 'granuloma', 'granulomatous', 'ghon'],
  },
  {
    id: 'bronchitis',
    label: 'Bronchitis, bronchiolitis',
    terms: ['bronchitis', 'bronchiolitis', 'bronchitic', 'peribronchial thickening', 'peribronchial cuffing', 'bronchial wall thickening', 'airway disease', 'reactive airway', 'airways disease', 'bronchial thickening'],
  },
  {
    id: 'colonic-interposition',
    label: 'Colonic interposition',
    terms: ['colonic interposition', 'chilaiditi', 'interposition', 'interposed colon', 'interposed bowel'],
  },
  {
    id: 'cholelithiasis',
    label: 'Cholelithiasis',
    terms: ['cholelithiasis', 'gallstone', 'gallstones', 'gallbladder stone', 'biliary calculi'],
  },
  {
    id: 'tracheal-deviation',
    label: 'Tracheal deviation or tortuosity',
    terms: ['tracheal deviation', 'deviation', 'deviated', 'displaced', 'displacement', 'shift', 'tortuous', 'tortuosity'],
  },
  {
    id: 'abdominal-distension',
    label: 'Distended abdomen',
    terms: ['distension', 'distention', 'distended', 'dilated bowel', 'ascites', 'organomegaly', 'hepatomegaly', 'splenomegaly', 'ileus'],
  },
  {
    id: 'rib-abnormality',
    label: 'Rib abnormality',
    terms: ['cervical rib', 'rib anomaly', 'bifid rib', 'rib deformity', 'rib expansion', 'flared rib'],
    patterns: [`\\bribs?\\b${GAP}\\b(?:prominen\\w*|enlarg\\w*|expan\\w*|deform\\w*|abnormal\\w*|flar\\w*|bifid|fused|fusion)\\b`],
  },
];

/** A Problems term whose meaning depends on the qualifiers of its MeSH label: the first rule whose qualifier the label has. */
export interface QualifiedTerm {
  byQualifier: ReadonlyArray<readonly [qualifier: string, concept: string]>;
  otherwise: string;
}

/** Problems terms (lower case, single spaces) that carry no problem: a normal study, or a label saying nothing. */
export const IU_SKIPPED_TERMS: readonly string[] = ['normal', 'no indexing', 'technical quality of image unsatisfactory'];

const VASCULAR_CALCINOSIS: ReadonlyArray<readonly [string, string]> = ['aorta', 'aorta, thoracic', 'blood vessels', 'coronary vessels', 'mitral valve', 'pulmonary artery'].map(
  (site) => [site, 'atherosclerosis'] as const,
);
const BONE_SITES = ['ribs', 'clavicle', 'humerus', 'sternum', 'thoracic vertebrae', 'lumbar vertebrae', 'spine', 'shoulder'];

/** Every `Problems` term of `indiana_reports.csv` (lower case, single spaces) → the id of its concept in `IU_CONCEPTS`. */
export const IU_PROBLEM_TERMS: Readonly<Record<string, string | QualifiedTerm>> = {
  // The lungs.
  lung: {
    byQualifier: [
      ['hypoinflation', 'low-lung-volumes'],
      ['hyperdistention', 'hyperinflation'],
      ['azygos lobe', 'azygos-lobe'],
      ['hilum', 'hilar-prominence'],
      ['obscured', 'obscured-border'],
      ['interstitial', 'markings'],
      ['blood vessels', 'congestion'],
    ],
    otherwise: 'markings',
  },
  opacity: { byQualifier: [['ribs', 'bone-lesion'], ['thoracic vertebrae', 'bone-lesion']], otherwise: 'lung-opacity' },
  density: { byQualifier: BONE_SITES.map((site) => [site, 'bone-lesion'] as const), otherwise: 'lung-opacity' },
  infiltrate: 'lung-opacity',
  'airspace disease': 'lung-opacity',
  consolidation: 'lung-opacity',
  pneumonia: 'pneumonia',
  'pulmonary atelectasis': 'atelectasis',
  cicatrix: { byQualifier: [['pleura', 'pleural-thickening']], otherwise: 'scarring' },
  'pulmonary fibrosis': 'fibrosis',
  fibrosis: 'fibrosis',
  'lung diseases, interstitial': 'interstitial-disease',
  markings: { byQualifier: [['paratracheal', 'mediastinal-widening']], otherwise: 'markings' },
  nodule: 'nodule',
  mass: 'mass',
  'calcified granuloma': 'granuloma',
  granuloma: 'granuloma',
  'granulomatous disease': 'granuloma',
  'pulmonary disease, chronic obstructive': 'emphysema',
  emphysema: 'emphysema',
  'pulmonary emphysema': 'emphysema',
  'bullous emphysema': 'emphysema',
  blister: 'emphysema',
  'lung, hyperlucent': 'hyperlucent-lung',
  cysts: { byQualifier: [['humerus', 'bone-lesion'], ['ribs', 'bone-lesion']], otherwise: 'cyst' },
  cavitation: 'cavitation',
  lucency: {
    byQualifier: [
      ...BONE_SITES.map((site) => [site, 'bone-lesion'] as const),
      ['diaphragm', 'pneumoperitoneum'],
    ],
    otherwise: 'lucency',
  },
  'volume loss': 'volume-loss',
  bronchiectasis: 'bronchiectasis',
  'cystic fibrosis': 'cystic-fibrosis',
  sarcoidosis: 'sarcoidosis',
  tuberculosis: 'tuberculosis',
  bronchitis: 'bronchitis',
  bronchiolitis: 'bronchitis',
  hypovolemia: 'hypovolemia',
  'blood vessels': 'congestion',
  // Heart and vessels.
  cardiomegaly: 'cardiomegaly',
  'cardiac shadow': { byQualifier: [['obscured', 'obscured-border']], otherwise: 'cardiomegaly' },
  heart: { byQualifier: [['obscured', 'obscured-border'], ['small', 'small-heart'], ['prominent', 'cardiac-chamber']], otherwise: 'cardiac-chamber' },
  'heart atria': 'cardiac-chamber',
  'heart ventricles': 'cardiac-chamber',
  'pulmonary congestion': 'congestion',
  'pulmonary edema': 'edema',
  'heart failure': 'heart-failure',
  'pericardial effusion': 'pericardial-effusion',
  'epicardial fat': 'fat',
  'adipose tissue': 'fat',
  aorta: { byQualifier: [['obscured', 'obscured-border']], otherwise: 'aortic-ectasia' },
  'aorta, thoracic': 'aortic-ectasia',
  'aortic aneurysm': 'aortic-ectasia',
  atherosclerosis: 'atherosclerosis',
  calcinosis: { byQualifier: VASCULAR_CALCINOSIS, otherwise: 'calcification' },
  'pulmonary artery': 'pulmonary-artery',
  'hypertension, pulmonary': 'pulmonary-artery',
  // Mediastinum, hila, trachea.
  mediastinum: { byQualifier: [['lymph nodes', 'lymphadenopathy']], otherwise: 'mediastinal-widening' },
  'lymph nodes': 'lymphadenopathy',
  'trachea, carina': 'lymphadenopathy',
  shift: 'shift',
  trachea: 'tracheal-deviation',
  'hernia, hiatal': 'hiatal-hernia',
  'hernia, diaphragmatic': 'hiatal-hernia',
  'colonic interposition': 'colonic-interposition',
  // Pleura and diaphragm.
  'pleural effusion': 'pleural-effusion',
  hemothorax: 'pleural-effusion',
  pneumothorax: 'pneumothorax',
  hydropneumothorax: 'pneumothorax',
  hemopneumothorax: 'pneumothorax',
  'costophrenic angle': 'costophrenic-blunting',
  sulcus: 'costophrenic-blunting',
  pleura: { byQualifier: [['blunted', 'costophrenic-blunting']], otherwise: 'pleural-thickening' },
  thickening: {
    byQualifier: [
      ['pleura', 'pleural-thickening'],
      ['bronchovascular', 'markings'],
      ['bronchi', 'markings'],
      ['lung', 'markings'],
      ['heart ventricles', 'cardiac-chamber'],
      ['paratracheal', 'mediastinal-widening'],
    ],
    otherwise: 'pleural-thickening',
  },
  diaphragm: { byQualifier: [['elevated', 'elevated-diaphragm'], ['flattened', 'hyperinflation'], ['obscured', 'obscured-border']], otherwise: 'elevated-diaphragm' },
  'diaphragmatic eventration': 'elevated-diaphragm',
  pneumoperitoneum: 'pneumoperitoneum',
  'subcutaneous emphysema': 'subcutaneous-emphysema',
  // Bones and chest wall.
  spine: 'degenerative',
  'thoracic vertebrae': 'degenerative',
  'lumbar vertebrae': 'degenerative',
  'cervical vertebrae': 'degenerative',
  'bone and bones': 'degenerative',
  shoulder: 'degenerative',
  humerus: 'degenerative',
  spondylosis: 'degenerative',
  osteophyte: 'degenerative',
  arthritis: 'degenerative',
  'hyperostosis, diffuse idiopathic skeletal': 'degenerative',
  ribs: { byQualifier: [['degenerative', 'degenerative']], otherwise: 'rib-abnormality' },
  scoliosis: 'scoliosis',
  kyphosis: 'kyphosis',
  'fractures, bone': 'fracture',
  deformity: 'deformity',
  dislocations: 'dislocation',
  'bone diseases, metabolic': 'bone-density',
  osteoporosis: 'bone-density',
  sclerosis: { byQualifier: [['pleura', 'pleural-thickening']], otherwise: 'bone-sclerosis' },
  'expansile bone lesions': 'bone-lesion',
  'funnel chest': 'pectus',
  'pectus carinatum': 'pectus',
  thorax: 'volume-loss',
  'nipple shadow': 'nipple-shadow',
  mastectomy: 'mastectomy',
  // Devices and surgery.
  'catheters, indwelling': 'line-or-tube',
  'tube, inserted': 'line-or-tube',
  'implanted medical device': 'implanted-device',
  'medical device': 'implanted-device',
  stents: 'implanted-device',
  'breast implants': 'implanted-device',
  'surgical instruments': 'surgical-material',
  sutures: 'surgical-material',
  'spinal fusion': 'surgical-material',
  pneumonectomy: 'pneumonectomy',
  'foreign bodies': 'foreign-body',
  'contrast media': 'contrast',
  // Abdomen.
  abdomen: 'abdominal-distension',
  cholelithiasis: 'cholelithiasis',
};
