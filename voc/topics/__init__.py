"""Topic discovery: offline, Chinese-aware, stable ids (GitHub issue 5).

    from voc.topics import assign_topics, discover, topic_table, TopicModel

- embed.py    document vectors (shipped static embedder; USE teacher optional) + per-language centring
- terms.py    jieba/spaCy tokenizer with zh+en stop words for c-TF-IDF; readable phrases
- cluster.py  BERTopic-style on a sample: kNN-smoothed PCA, k-means over-clustering merged at the cut
              with the best silhouette (or HDBSCAN via BERTopic); each topic keeps its cells as
              prototypes; BERTopic's c-TF-IDF for terms
- model.py    TopicModel: topics, prototypes, the nearest-prototype rule; save/load as JSON + .npz
- stable.py   refits keep records the old model still covers on their ids, cluster only the rest
- fit.py      sample -> cluster per scope -> assign everyone in chunks
- discover.py governed discovery (topics within touchpoints, proposed topics in the residue), table

BERTopic, HDBSCAN and scikit-learn are imported inside the functions that use them; the default path
imports neither the `bertopic` nor the `spacy` package (only their c-TF-IDF and stop-word modules).
"""
from voc.topics.cluster import ClusterParams
from voc.topics.discover import assign_topics, discover, record_scope, topic_table
from voc.topics.fit import Assignment, assign_vectors, fit_topic_model
from voc.topics.model import OTHER_ID, OTHER_LABEL, Topic, TopicModel

__all__ = ["Assignment", "ClusterParams", "OTHER_ID", "OTHER_LABEL", "Topic", "TopicModel", "assign_topics",
           "assign_vectors", "discover", "fit_topic_model", "record_scope", "topic_table"]
