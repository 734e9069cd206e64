/**
 * The evaluation's synonym table for the 18 abnormality labels of CT-RATE (`labels` of
 * `../shared/data/ct-rate-subset/pairs.jsonl`, as annotated in the CT-CLIP repository for the whole report): the
 * words by which a chest CT conclusion states each label. The reports are machine-translated ("bone structures are
 * natural", "density increase" for opacity, "sequelae changes" for fibrotic sequelae, "CTR increased in favour of the
 * heart" for cardiomegaly), so the table accepts the translation's wordings as well as the usual English ones.
 * Independent of the product's clinical vocabulary, like the IU table; negated mentions state nothing.
 */
import type { ConceptDefinition } from './conceptMatcher.ts';

const GAP = String.raw`[^.;:]{0,40}?`;
/** Lists of vessels are long: "plaques in the aortic arch, ascending aorta and coronary arteries". */
const LONG_GAP = String.raw`[^.;:]{0,90}?`;

/** Label name (as in the data) → the words that state it; the id of each concept is the label name. */
export const CT_RATE_LABELS: readonly ConceptDefinition[] = [
  {
    id: 'Medical material',
    terms: [
      'medical material',
      'surgical material',
      'catheter',
      'port',
      'port catheter',
      'pacemaker',
      'defibrillator',
      'stent',
      'sternotomy',
      'suture',
      'suture material',
      'wire',
      'clip',
      'surgical clip',
      'prosthesis',
      'prosthetic',
      'tube',
      'drain',
      'drainage catheter',
      'valve replacement',
      'metallic',
      'implant',
      'graft',
      'postoperative',
      'operated',
      'operation',
      'surgery',
      'cabg',
      'acbg',
      'tracheostomy',
      'cannula',
      'coil',
      'fixation',
      'screw',
      'plate',
      'mesh',
    ],
    notAfter: ['pulmonary', 'bronchial', 'eustachian'],
  },
  {
    id: 'Arterial wall calcification',
    terms: [
      'atherosclerosis',
      'atherosclerotic',
      'atheroma',
      'atheromatous',
      'atheroma plaque',
      'calcific plaque',
      'calcified plaque',
      'arteriosclerosis',
      'vascular calcification',
      'wall calcification',
    ],
    patterns: [
      `\\b(?:aort\\w*|arter\\w*|vascular|vessels?|carotid|subclavian|brachiocephalic|iliac|supraaortic)\\b${GAP}\\bcalcif\\w*`,
      `\\bcalcif\\w*${LONG_GAP}\\b(?:aort\\w*|arter\\w*|vascular|vessels?|carotid|subclavian|brachiocephalic|iliac|supraaortic)\\b`,
    ],
  },
  {
    id: 'Cardiomegaly',
    terms: ['cardiomegaly', 'enlarged heart', 'cardiac enlargement', 'enlargement of the heart', 'heart enlargement'],
    patterns: [
      `\\b(?:heart|cardiac)\\s+(?:size|sizes|dimensions?|contour and size|volume)${GAP}\\b(?:increased|enlarged|large)\\b`,
      `\\b(?:cardiothoracic (?:ratio|index)|ctr)\\b${GAP}\\b(?:increased|enlarged|high)\\b`,
      `\\b(?:increased|enlarged)\\s+(?:heart|cardiac|cardiothoracic)\\b`,
    ],
  },
  {
    id: 'Pericardial effusion',
    terms: ['pericardial effusion', 'pericardial fluid', 'hemopericardium'],
    patterns: [`\\bpericard\\w*${GAP}\\beffusions?\\b`, `\\beffusions?\\b${GAP}\\bpericard\\w*`],
  },
  {
    id: 'Coronary artery wall calcification',
    terms: ['coronary calcification', 'coronary artery calcification', 'coronary atherosclerosis'],
    patterns: [
      `\\b(?:coronary|lad|circumflex|rca)\\b${LONG_GAP}\\b(?:calcif\\w*|atherom\\w*|atherosclero\\w*|plaques?)`,
      `\\b(?:calcif\\w*|atherom\\w*|atherosclero\\w*|plaques?)${LONG_GAP}\\b(?:coronary|lad|circumflex|rca)\\b`,
    ],
  },
  {
    id: 'Hiatal hernia',
    terms: ['hiatal hernia', 'hiatus hernia', 'hernia', 'herniation', 'intrathoracic stomach'],
    notAfter: ['inguinal', 'umbilical', 'incisional', 'disc', 'disk', 'abdominal'],
  },
  {
    id: 'Lymphadenopathy',
    terms: ['lymphadenopathy', 'lymphadenopathies', 'adenopathy', 'lap', 'lymph node', 'nodal involvement', 'nodal metastasis'],
  },
  {
    id: 'Emphysema',
    terms: ['emphysema', 'emphysematous', 'bulla', 'bullous', 'bleb', 'copd', 'chronic obstructive'],
    notAfter: ['subcutaneous', 'mediastinal', 'surgical'],
  },
  {
    id: 'Atelectasis',
    terms: [
      'atelectasis',
      'atelectatic',
      'atelectases',
      'collapse',
      'collapsed',
      'volume loss',
      'fibroatelectasis',
      'fibroatelectatic',
      'subsegmental atelectasis',
      'linear atelectasis',
    ],
  },
  {
    id: 'Lung nodule',
    terms: ['nodule', 'nodular', 'micronodule', 'micronodular', 'nodular lesion', 'mass', 'metastasis', 'metastases', 'metastatic nodule', 'granuloma'],
    notAfter: ['thyroid', 'adrenal', 'hepatic', 'liver', 'renal', 'breast', 'kidney', 'lymph'],
  },
  {
    id: 'Lung opacity',
    terms: [
      'opacity',
      'opacities',
      'density increase',
      'increased density',
      'density',
      'densities',
      'ground glass',
      'ground-glass',
      'consolidation',
      'consolidated',
      'infiltration',
      'infiltrate',
      'infiltrative',
      'pneumonia',
      'pneumonic',
      'covid',
      'crazy paving',
    ],
    notAfter: ['bone', 'soft', 'fat', 'fatty', 'liver', 'hepatic', 'mineral'],
  },
  {
    id: 'Pulmonary fibrotic sequela',
    terms: [
      'fibrosis',
      'fibrotic',
      'sequela',
      'sequelae',
      'sequelae change',
      'fibroatelectasis',
      'fibroatelectatic',
      'parenchymal band',
      'scar',
      'scarring',
      'pleuroparenchymal',
      'honeycombing',
      'honeycomb',
      'traction bronchiectasis',
      'retraction',
      'fibrotic band',
    ],
  },
  {
    id: 'Pleural effusion',
    terms: ['pleural effusion', 'pleural fluid', 'hydrothorax', 'hemothorax', 'empyema'],
    patterns: [
      `\\b(?:right|left|bilateral|both)\\b[^.;:]{0,20}\\beffusions?\\b`,
      `\\beffusions?\\b[^.;:]{0,25}\\b(?:right|left|bilateral|hemithora\\w*|pleural)\\b`,
      `\\bpleural\\b${GAP}\\beffusions?\\b`,
    ],
  },
  {
    id: 'Mosaic attenuation pattern',
    terms: ['mosaic', 'mosaic attenuation', 'mosaic perfusion', 'air trapping', 'small airway disease', 'small airways disease'],
  },
  {
    id: 'Peribronchial thickening',
    terms: ['peribronchial thickening', 'peribronchial', 'bronchial wall thickening', 'peribronchial cuffing', 'bronchial thickening'],
    patterns: [`\\bbronch\\w*\\s+walls?${GAP}\\bthicken\\w*`],
  },
  {
    id: 'Consolidation',
    terms: ['consolidation', 'consolidations', 'consolidated', 'consolidative', 'air bronchogram', 'pneumonia', 'pneumonic'],
  },
  {
    id: 'Bronchiectasis',
    terms: ['bronchiectasis', 'bronchiectatic', 'bronchiectases', 'bronchial dilatation', 'bronchial dilation'],
  },
  {
    id: 'Interlobular septal thickening',
    terms: ['septal thickening', 'interlobular septal', 'interlobular septum', 'interlobular septa', 'septal', 'crazy paving', 'interstitial thickening'],
  },
];
