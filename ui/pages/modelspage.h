#pragma once

#include <QWidget>

#include "arch/network.h"

class QLabel;
class QTableView;

namespace archscope::ui {

class LayerTableModel;
class ZooTableModel;

/// The zoo list and, for the selected model (or an opened architecture file), its summary and
/// per-layer table.
class ModelsPage : public QWidget {
    Q_OBJECT
public:
    explicit ModelsPage(QWidget* parent = nullptr);

    /// Selects a zoo model; returns false if the name is unknown.
    bool selectModel(const QString& name);
    /// Shows any network (e.g. from an architecture file).
    void showNetwork(const NetworkSpec& spec);
    const NetworkSpec& currentSpec() const { return m_spec; }

    ZooTableModel* zooModel() const { return m_zoo; }
    LayerTableModel* layerModel() const { return m_layers; }

Q_SIGNALS:
    void networkChanged(const archscope::NetworkSpec& spec);

public Q_SLOTS:
    void openArchitectureFile();

private:
    ZooTableModel* m_zoo;
    LayerTableModel* m_layers;
    QTableView* m_zooView;
    QTableView* m_layerView;
    QLabel* m_title;
    QLabel* m_summary;
    NetworkSpec m_spec;
};

}  // namespace archscope::ui
